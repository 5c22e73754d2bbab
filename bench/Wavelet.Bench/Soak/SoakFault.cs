namespace Wavelet.Bench.Soak;

/// <summary>One injected fault: its name (used to attribute fresh snapshots and latency) and what it does.</summary>
public sealed record SoakFault(string Name, Func<CancellationToken, Task<string>> InjectAsync);
