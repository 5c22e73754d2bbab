namespace Wavelet.Bench.Cli;

/// <summary>smoke: seconds, for the test suite; small: development; full: the sizes (10k clients), run by hand.</summary>
public enum BenchSize
{
    Smoke,
    Small,
    Full,
}
