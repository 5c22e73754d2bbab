namespace Wavelet.Bench.Load;

/// <summary>Requests/s and latency of one HTTP load run; <c>Tool</c> says what measured it.</summary>
public sealed record HttpLoadResult(string Tool, long Requests, long Failures, double RequestsPerSecond, double P50Ms, double P99Ms, double MaxMs);
