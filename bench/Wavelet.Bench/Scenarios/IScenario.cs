namespace Wavelet.Bench.Scenarios;

public interface IScenario
{
    string Name { get; }

    Task<ScenarioReport> RunAsync(BenchSettings settings, ILogger logger, CancellationToken ct);
}
