namespace Wavelet.Bench.Measure;

/// <summary>CPU time consumed (user + system) and resident set size of one process at one instant.</summary>
public readonly record struct ProcessSample(TimeSpan CpuTime, long RssBytes, DateTimeOffset At);
