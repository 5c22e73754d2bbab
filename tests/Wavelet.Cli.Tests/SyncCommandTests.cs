namespace Wavelet.Cli.Tests;

/// <summary>`wavelet plan` and `wavelet push` against the local engine, as a user runs them from their own directory.</summary>
public sealed class SyncCommandTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Plan_exits_4_while_changes_are_pending_push_applies_them_and_plan_then_exits_0()
    {
        _directory.Write("project/wavelet.yaml", Projects.Manifest(Projects.UniqueName("cli")));

        // A relative path, resolved from the caller's directory.
        var pending = await Cli.RunAsync(_directory.Path, "plan", "project/wavelet.yaml", "--database-url", rw.Url);
        Assert.True(pending.Code == ExitCodes.ChangesPending, pending.ToString());
        Assert.Contains("CREATE  query         leaderboard", pending.Out, StringComparison.Ordinal);

        var push = await Cli.RunAsync(_directory.Path, "push", "project/wavelet.yaml", "--database-url", rw.Url);
        Assert.True(push.Code == ExitCodes.Ok, push.ToString());
        Assert.Contains("CREATE  subscription  wavelet_sub_leaderboard", push.Out, StringComparison.Ordinal);

        var clean = await Cli.RunAsync(_directory.Path, "plan", "project/wavelet.yaml", "--database-url", rw.Url, "--json");
        Assert.True(clean.Code == ExitCodes.Ok, clean.ToString());
        using var json = JsonDocument.Parse(clean.Out);
        Assert.True(json.RootElement.GetProperty("inSync").GetBoolean());
        Assert.All(json.RootElement.GetProperty("actions").EnumerateArray(), a => Assert.Equal("unchanged", a.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Push_json_reports_actions_and_the_query_columns_in_the_upstream_shape()
    {
        var file = _directory.Write("wavelet.yaml", Projects.Manifest(Projects.UniqueName("clijs")));

        var push = await Cli.RunAsync(_directory.Path, "push", file, "--database", rw.Url, "--json");

        Assert.True(push.Code == ExitCodes.Ok, push.ToString());
        using var json = JsonDocument.Parse(push.Out);
        var actions = json.RootElement.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("type").GetString(), a.GetProperty("resource").GetString(), a.GetProperty("name").GetString())).ToList();
        Assert.Contains(("create", "event", "game_events"), actions);
        Assert.Contains(("create", "query", "leaderboard"), actions);
        var columns = json.RootElement.GetProperty("queries")[0].GetProperty("columns").EnumerateArray()
            .Select(c => $"{c.GetProperty("name").GetString()} {c.GetProperty("type").GetString()}");
        Assert.Equal(["player character varying", "total bigint", "games bigint"], columns);
    }

    [Fact]
    public async Task Without_a_url_push_uses_the_connection_secret_in_the_file_and_the_default_file_name()
    {
        _directory.Write("wavelet.yaml", Projects.Manifest(Projects.UniqueName("clisec"), databaseUrl: rw.Url));

        var push = await Cli.RunAsync(_directory.Path, "push");

        Assert.True(push.Code == ExitCodes.Ok, push.ToString());
        Assert.Contains("CREATE  event", push.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocked_destructive_change_exits_3_in_push_and_plan_with_the_reason()
    {
        var name = Projects.UniqueName("cliblk");
        var file = _directory.Write("wavelet.yaml", Projects.Manifest(name, extraColumn: "        - {name: level, type: int}"));
        Assert.Equal(ExitCodes.Ok, (await Cli.RunAsync(_directory.Path, "push", file, "--database-url", rw.Url)).Code);
        _directory.Write("wavelet.yaml", Projects.Manifest(name));

        var plan = await Cli.RunAsync(_directory.Path, "plan", file, "--database-url", rw.Url);
        var push = await Cli.RunAsync(_directory.Path, "push", file, "--database-url", rw.Url);

        Assert.True(plan.Code == ExitCodes.Blocked, plan.ToString());
        Assert.True(push.Code == ExitCodes.Blocked, push.ToString());
        Assert.Contains("BLOCKED", push.Out, StringComparison.Ordinal);
        Assert.Contains("drop column level", push.Out, StringComparison.Ordinal);
        Assert.Contains("allowDestructiveChanges", push.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_database_invalid_file_and_bad_arguments_fail_with_a_clear_message_and_their_exit_code()
    {
        var file = _directory.Write("wavelet.yaml", Projects.Manifest(Projects.UniqueName("clierr")));

        var unreachable = await Cli.RunAsync(_directory.Path, "push", file, "--database-url", "postgres://root@127.0.0.1:1/dev");
        Assert.True(unreachable.Code == ExitCodes.Failed, unreachable.ToString());
        Assert.Contains("RisingWaveUnreachable", unreachable.Err, StringComparison.Ordinal);

        var usage = await Cli.RunAsync(_directory.Path, "push", file, "--no-such-option");
        Assert.True(usage.Code == ExitCodes.Usage, usage.ToString());
        Assert.Contains("--no-such-option", usage.Err, StringComparison.Ordinal);

        var missing = await Cli.RunAsync(_directory.Path, "plan", "nope.yaml", "--database-url", rw.Url);
        Assert.True(missing.Code == ExitCodes.Failed, missing.ToString());
        Assert.Contains(Path.Combine(_directory.Path, "nope.yaml"), missing.Err, StringComparison.Ordinal);

        _directory.Write("bad.yaml", Projects.Manifest("bad").Replace("type: int", "type: integer", StringComparison.Ordinal));
        var invalid = await Cli.RunAsync(_directory.Path, "plan", "bad.yaml", "--database-url", rw.Url);
        Assert.True(invalid.Code == ExitCodes.Failed, invalid.ToString());
        Assert.Contains("spec.events[0].columns[1].type", invalid.Err, StringComparison.Ordinal);

        var noDatabase = await Cli.RunAsync(_directory.Path, new Dictionary<string, string>(), "plan", "bad.yaml");
        Assert.Equal(ExitCodes.Failed, noDatabase.Code);
    }
}
