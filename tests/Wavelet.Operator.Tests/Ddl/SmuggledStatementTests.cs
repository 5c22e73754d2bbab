using Wavelet.Api.Validation;

namespace Wavelet.Operator.Tests.Ddl;

/// <summary>
/// A query body must never carry a second statement to the server: the validator's lexer refuses it early, and the
/// statement is sent in one Parse message so the server refuses it even where the lexer is wrong.
/// </summary>
public sealed class SmuggledStatementTests(RisingWaveFixture rw) : DdlTest(rw)
{
    private NpgsqlConnection? _connection;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _connection = await Database.OpenConnectionAsync();
    }

    public override async Task DisposeAsync()
    {
        await _connection!.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task The_e_string_smuggle_is_refused_and_public_pwned_is_never_created()
    {
        var project = Create(UniqueName("smuggle"))
            .WithEvent("game_events", ("player", ColumnTypes.String))
            .WithQuery("q", @"SELECT E'\'' AS a; CREATE TABLE public.pwned (x int)");

        var error = await Assert.ThrowsAsync<WaveletValidationException>(() => Ddl.SyncAsync(project));

        Assert.Contains("contains more than one statement", error.Message, StringComparison.Ordinal);
        Assert.False(await TableExistsAsync("public", "pwned"));
    }

    /// <summary>Each string and comment form, hiding a second statement from a lexer that misreads it; sent as the operator sends DDL.</summary>
    [Theory]
    [InlineData(@"SELECT E'\'' AS a; CREATE TABLE public.{0} (x int)")]
    [InlineData(@"SELECT 'a\' AS a; CREATE TABLE public.{0} (x int)")]
    [InlineData(@"SELECT U&'\0061' AS a; CREATE TABLE public.{0} (x int)")]
    [InlineData("SELECT $t$ $$ $t$ AS a; CREATE TABLE public.{0} (x int)")]
    [InlineData("SELECT 1 AS a /* x /* y */ */; CREATE TABLE public.{0} (x int)")]
    [InlineData("SELECT 1 AS a -- c\n; CREATE TABLE public.{0} (x int)")]
    [InlineData("SELECT 1 AS \"a\"\"\"; CREATE TABLE public.{0} (x int)")]
    public async Task The_server_refuses_a_second_statement_in_a_view_body_whatever_the_lexer_says(string template)
    {
        var table = "pwned_" + Guid.NewGuid().ToString("N")[..8];
        var schema = UniqueName("srv").Replace('-', '_');
        await SingleStatementCommand.ExecuteAsync(_connection!, $"CREATE SCHEMA {schema}", [], default);
        var body = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, table);

        await Assert.ThrowsAsync<PostgresException>(() =>
            SingleStatementCommand.ExecuteAsync(_connection!, $"CREATE MATERIALIZED VIEW {schema}.v AS {body}", [], default));
        var direct = await Assert.ThrowsAsync<PostgresException>(() => SingleStatementCommand.ExecuteAsync(_connection!, body, [], default));
        if (Rw.IsSimulator)
        {
            // Not a statement the engine rewrites: PostgreSQL itself received both statements in one Parse message.
            Assert.Equal("cannot insert multiple commands into a prepared statement", direct.MessageText);
        }

        Assert.False(await TableExistsAsync("public", table));
    }

    /// <summary>The same forms without a second statement are one statement: the lexer accepts them and the engine creates the view.</summary>
    [Theory]
    [InlineData(@"SELECT E'\';' AS a")]
    [InlineData(@"SELECT U&'d\0061t;' AS a")]
    [InlineData("SELECT $t$ ; $t$ AS a")]
    [InlineData("SELECT 1 AS a /* ; /* ; */ ; */")]
    [InlineData("SELECT 1 AS \"a;\" -- ; trailing")]
    public async Task Every_string_and_comment_form_syncs_when_it_is_one_statement(string sql)
    {
        var project = Create(UniqueName("forms")).WithEvent("e", ("x", ColumnTypes.Int)).WithQuery("q", sql);

        var result = await Ddl.SyncAsync(project);

        Assert.Contains(new DdlAction("create", "query", "q"), result.Actions);
    }
}
