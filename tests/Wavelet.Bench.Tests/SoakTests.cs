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
        Assert.Equal(8, figures["faults"]);
        Assert.True(figures["feed_sessions_killed"] > 0, why);
        Assert.True(figures["acknowledged"] > 0 && figures["sql_inserts"] > 0 && figures["sql_updates"] > 0 && figures["sql_deletes"] > 0, why);
        Assert.True(figures["resume_attempts"] > 0, why);
        Assert.True(figures["extra_clients_removed"] > 0, why);

        Assert.True(figures["clients_with_lost_rows"] == 0, why);
        Assert.True(figures["acknowledged_missing"] == 0, why);
        Assert.True(figures["duplicate_diffs"] == 0, why);
        Assert.True(figures["duplicate_rows"] == 0, why);
        Assert.True(figures["unknown_deletes"] == 0, why);
        Assert.True(figures["peak_rss_bytes"] > 0, why);

        // Not asserted yet, reported in docs/reliability.md as open findings (about one CI run in five or eight):
        // duplicate rows on the query whose SQL changed, right after its re-snapshot, and a re-snapshot of the main
        // queries after the engine restart. Both are counted in figures "duplicate_rows_changed_query" and
        // "fresh_snapshots_unexpected".
    }
}
