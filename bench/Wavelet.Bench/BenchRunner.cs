using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Wavelet.Bench.Cli;
using Wavelet.Bench.Harness;
using Wavelet.Bench.Scenarios;
using Wavelet.Bench.Soak;

namespace Wavelet.Bench;

/// <summary>Runs the chosen scenarios one after another (each with its own simulator database and data plane process).</summary>
public static class BenchRunner
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        ThroughputScenario.Fanout,
        ThroughputScenario.Broadcast,
        new ConnectStormScenario(),
        new ResumeStormScenario(),
        new ReadsScenario(),
        new WritesScenario(),
        new IdleMemoryScenario(),
        new OperatorScenario(),
        new SoakScenario(),
        new OperatorSoakScenario(),
    ];

    public static IReadOnlyCollection<string> Names => [.. All.Select(s => s.Name)];

    public static async Task<IReadOnlyList<ScenarioReport>> RunAsync(BenchSettings settings, ILogger logger, Action<ScenarioReport> onReport, CancellationToken ct)
    {
        var reports = new List<ScenarioReport>();
        foreach (var name in settings.Scenarios)
        {
            var scenario = All.Single(s => s.Name == name);
            logger.LogInformation("scenario {Scenario} ({Size})", name, settings.Size);
            var watch = Stopwatch.StartNew();
            BenchEnvironment.LastServerNote = null;
            var report = await scenario.RunAsync(settings, logger, ct);
            report.Notes.Add($"Scenario wall time {watch.Elapsed.TotalSeconds:0.#} s (setup included).");
            if (BenchEnvironment.LastServerNote is { } server)
            {
                report.Notes.Add($"Ran with: {server}. Load average (1, 5, 15 min) at the end: {Measure.ProcFs.LoadAverage()}.");
            }
            reports.Add(report);
            onReport(report);
        }

        return reports;
    }
}
