namespace Wavelet.Bench.Tests;

/// <summary>The driver's data-plane scenarios at smoke size against the real data plane process and the simulator.</summary>
public class DataPlaneSmokeTests
{
    [Fact]
    public async Task Fanout_delivers_every_diff_and_a_connect_storm_costs_the_database_nothing()
    {
        var settings = new BenchSettings { Size = BenchSize.Smoke, Scenarios = ["fanout", "connect-storm"] };
        var reports = await BenchRunner.RunAsync(settings, NullLogger.Instance, _ => { }, CancellationToken.None);

        var fanout = reports.Single(r => r.Name == "fanout");
        Assert.True(fanout.Figures["max_sustained_messages_per_second"] > 0, fanout.ToMarkdown());
        Assert.Equal(0, fanout.Figures["slow_consumer_closes"]);
        var storm = reports.Single(r => r.Name == "connect-storm");
        Assert.Equal(0, storm.Figures["statements_per_connect"]);
    }

    [Fact]
    public async Task Concurrent_single_writes_store_every_acknowledged_event_exactly_once()
    {
        var settings = new BenchSettings { Size = BenchSize.Smoke, Scenarios = ["writes"] };
        var report = (await BenchRunner.RunAsync(settings, NullLogger.Instance, _ => { }, CancellationToken.None)).Single();

        Assert.True(report.Figures["acknowledged"] > 0, report.ToMarkdown());
        Assert.Equal(0, report.Figures["failed"]);
        Assert.Equal(report.Figures["acknowledged"], report.Figures["rows_stored"]);
        Assert.Equal(report.Figures["acknowledged"], report.Figures["distinct_ids"]);
    }
}
