namespace Wavelet.Bench.Tests;

/// <summary>The fault-injection soak at CI size: every fault once, then the end check against the database.</summary>
public class SoakTests
{
    [Fact]
    public async Task Data_plane_soak_under_faults_loses_no_row_and_no_acknowledged_write_and_delivers_no_diff_twice()
    {
        var settings = new BenchSettings { Size = BenchSize.Smoke, Scenarios = ["soak"] };
        var report = (await BenchRunner.RunAsync(settings, NullLogger.Instance, _ => { }, CancellationToken.None)).Single();
        var figures = report.Figures;
        var why = report.ToMarkdown();

        // The faults really happened and the writes really flowed, so the zeros below mean something.
        Assert.Equal(9, figures["faults"]);
        Assert.True(figures["feed_sessions_killed"] > 0, why);
        Assert.True(figures["acknowledged"] > 0 && figures["sql_inserts"] > 0 && figures["sql_updates"] > 0 && figures["sql_deletes"] > 0, why);
        Assert.True(figures["resume_attempts"] > 0, why);
        Assert.True(figures["extra_clients_removed"] > 0, why);
        Assert.True(figures["closed_4004"] > 0, why); // the JWT settings changed under the clients

        Assert.True(figures["clients_with_lost_rows"] == 0, why);
        Assert.True(figures["acknowledged_missing"] == 0, why);
        Assert.True(figures["duplicate_diffs"] == 0, why);
        Assert.True(figures["duplicate_rows"] == 0, why);
        Assert.True(figures["unknown_deletes"] == 0, why);
        Assert.True(figures["duplicate_rows_changed_query"] == 0, why);
        Assert.True(figures["peak_rss_bytes"] > 0, why);

        // Not asserted yet, an open finding in docs/reliability.md: a re-snapshot of the main queries after the engine
        // restart (about one CI run in eight before the feed's warnings were recorded), counted in "fresh_snapshots_unexpected".
    }
}
