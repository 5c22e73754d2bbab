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
}
