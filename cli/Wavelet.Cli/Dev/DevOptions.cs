namespace Wavelet.Cli.Dev;

/// <summary>The settings of one `wavelet dev` run (from its command line).</summary>
public sealed class DevOptions
{
    public required string File { get; init; }
    public string? Project { get; init; }
    public string? DatabaseUrl { get; init; }
    public string Engine { get; init; } = DevEngine.Auto;
    public int Port { get; init; } = 8080;
    public int EnginePort { get; init; }
    public TimeSpan BarrierInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    public IReadOnlyDictionary<string, string> Claims { get; init; } = new Dictionary<string, string>();
    public bool Install { get; init; }
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}
