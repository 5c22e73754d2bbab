using Wavelet.Bench.Scenarios;

namespace Wavelet.Bench.Tests;

/// <summary>The driver's `operator --size smoke` run, as CI runs it: real operator host, fake API server, simulator.</summary>
public class OperatorSmokeTests
{
    [Fact]
    public async Task Smoke_run_converges_every_project_and_writes_nothing_once_idle()
    {
        var settings = new BenchSettings { Size = BenchSize.Smoke, Scenarios = ["operator"] };
        var reports = await BenchRunner.RunAsync(settings, NullLogger.Instance, _ => { }, CancellationToken.None);

        var report = Assert.Single(reports);
        Assert.InRange(report.Figures["seconds_to_all_ready"], 0.01, 120);
        Assert.Equal(0, report.Figures["idle_writes_per_minute"]);
        Assert.InRange(report.Figures["ddl_per_project"], 3, 5); // table, MV, subscription (+ schema and the metadata table)
        Assert.Contains("| 5 |", report.ToMarkdown(), StringComparison.Ordinal);
    }
}
