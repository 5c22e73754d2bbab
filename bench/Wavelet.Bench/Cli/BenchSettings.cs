namespace Wavelet.Bench.Cli;

public sealed class BenchSettings
{
    public BenchSize Size { get; set; } = BenchSize.Small;

    public List<string> Scenarios { get; set; } = [];

    /// <summary>Path to Wavelet.DataPlane.dll; null = the repository's build output.</summary>
    public string? DataPlaneDll { get; set; }

    /// <summary>CPU list (taskset syntax, e.g. "1") the data plane process is pinned to; null = not pinned.</summary>
    public string? DataPlaneCpus { get; set; }

    /// <summary>Markdown file the results are appended to.</summary>
    public string? OutputFile { get; set; }

    public long MaxQueuedBytesPerConnection { get; set; } = 4 * 1024 * 1024;

    /// <summary>Concurrent single-event writers of the writes scenario; null = the size's default.</summary>
    public int? Writers { get; set; }

    /// <summary>
    /// Target mode: base URLs (ws:// or http://) of servers that speak the Wavelet protocol and follow the engine at
    /// <see cref="EngineUrl"/>; the driver starts no data plane and drives each target in turn. Empty = the bench's own
    /// simulator and data plane process.
    /// </summary>
    public List<Uri> TargetUrls { get; set; } = [];

    /// <summary>Target mode: the postgres:// URL of the engine every target follows; the driver writes its epochs there.</summary>
    public string? EngineUrl { get; set; }

    /// <summary>Target mode token recipe: the HS256 secret the targets verify tokens with.</summary>
    public string? TargetSecret { get; set; }

    /// <summary>Target mode token recipe: the claim carrying the tenant (the filtered query's filter claim).</summary>
    public string TargetClaim { get; set; } = "tenant";
}
