namespace Wavelet.Testing.Tests.RisingWave;

/// <summary>The reference's test vectors through psql (simple query protocol, text results), as a user would type them.</summary>
public sealed class PsqlConformanceTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    private async Task<List<string>> PsqlAsync(params string[] commands)
    {
        var uri = new Uri(rw.Url);
        var args = new List<string> { "-X", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-h", uri.Host, "-p", uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", uri.UserInfo.Split(':')[0], uri.AbsolutePath.Trim('/') };
        foreach (var command in commands)
        {
            args.Add("-c");
            args.Add(command);
        }

        var start = new ProcessStartInfo("psql", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        using var psql = Process.Start(start)!;
        var output = await psql.StandardOutput.ReadToEndAsync();
        var errors = await psql.StandardError.ReadToEndAsync();
        await psql.WaitForExitAsync();
        Assert.True(psql.ExitCode == 0, $"psql failed ({psql.ExitCode}): {errors}");
        // Command tags (SET, DO, INSERT 0 1) are not rows.
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !System.Text.RegularExpressions.Regex.IsMatch(line, @"^[A-Z][A-Z ]*( \d+)*$")).ToList();
    }

    [Fact]
    public async Task Full_cursor_snapshot_then_update_pair_and_delete_through_psql()
    {
        var schema = "psql_" + Guid.NewGuid().ToString("N")[..8];
        var path = $"SET search_path TO {schema}";
        await PsqlAsync($"CREATE SCHEMA {schema}", path + "; CREATE TABLE t1 (v1 int PRIMARY KEY, v2 int)",
            path + "; INSERT INTO t1 VALUES (1, 2)", "FLUSH", path + "; CREATE SUBSCRIPTION sub FROM t1 WITH (retention = '1D')");

        var snapshot = await PsqlAsync(path + "; DECLARE cur SUBSCRIPTION CURSOR FOR sub FULL; FETCH 10 FROM cur");
        Assert.Equal(["1|2|Insert|"], snapshot);

        await PsqlAsync(path + "; INSERT INTO t1 VALUES (4, 4)", "FLUSH", path + "; UPDATE t1 SET v2 = 10 WHERE v1 = 4", "FLUSH",
            path + "; DELETE FROM t1 WHERE v1 = 4", "FLUSH");
        var changes = await PsqlAsync(path + "; DECLARE c2 SUBSCRIPTION CURSOR FOR sub SINCE begin(); FETCH 10 FROM c2");
        Assert.Equal(["4|4|Insert", "4|4|UpdateDelete", "4|10|UpdateInsert", "4|10|Delete"], changes.Select(r => string.Join('|', r.Split('|')[..3])));
        Assert.All(changes, r => Assert.Matches(@"\|\d{13}$", r));
    }

    [Fact]
    public async Task Catalog_and_errors_through_psql()
    {
        var schema = "psqlc_" + Guid.NewGuid().ToString("N")[..8];
        var path = $"SET search_path TO {schema}";
        await PsqlAsync($"CREATE SCHEMA {schema}", path + "; CREATE TABLE t (id int)", path + "; CREATE MATERIALIZED VIEW mv AS SELECT id FROM t",
            path + "; CREATE SUBSCRIPTION s FROM mv WITH (retention = '30m')");

        var retention = await PsqlAsync($"SELECT s.retention_seconds FROM rw_catalog.rw_subscriptions s JOIN rw_catalog.rw_schemas n ON n.id = s.schema_id WHERE n.name = '{schema}'");
        Assert.Equal(["1800"], retention);

        var error = await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => PsqlAsync(path + "; DROP MATERIALIZED VIEW mv"));
        Assert.Contains("depend on it", error.Message, StringComparison.Ordinal);
    }
}
