namespace Wavelet.Testing.Tests.Postgres;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task Shared_server_hands_out_isolated_databases()
    {
        var server = await PostgresServer.GetSharedAsync();
        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();

        await using (var a = new NpgsqlConnection(first))
        {
            await a.OpenAsync();
            await new NpgsqlCommand("CREATE TABLE only_here (id int)", a).ExecuteNonQueryAsync();
        }

        await using var b = new NpgsqlConnection(second);
        await b.OpenAsync();
        var exists = await new NpgsqlCommand("SELECT to_regclass('only_here') IS NOT NULL", b).ExecuteScalarAsync();
        Assert.Equal(false, exists);
        Assert.Same(server, await PostgresServer.GetSharedAsync());
    }
}
