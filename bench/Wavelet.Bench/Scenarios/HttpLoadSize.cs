namespace Wavelet.Bench.Scenarios;

/// <summary>How long each HTTP load case runs and with how many concurrent clients, by bench size (reads and writes alike).</summary>
public static class HttpLoadSize
{
    public static (TimeSpan Duration, int Clients) For(BenchSize size) => size switch
    {
        BenchSize.Smoke => (TimeSpan.FromSeconds(1), 8),
        BenchSize.Small => (TimeSpan.FromSeconds(4), 32),
        _ => (TimeSpan.FromSeconds(15), 64),
    };
}
