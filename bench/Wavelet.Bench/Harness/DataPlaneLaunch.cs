namespace Wavelet.Bench.Harness;

/// <summary>What a (re)start of the data plane needs: the same address and config directory every time.</summary>
internal sealed record DataPlaneLaunch(string Dll, string ConfigDirectory, int Port, IReadOnlyDictionary<string, string> Environment, string? Cpus);
