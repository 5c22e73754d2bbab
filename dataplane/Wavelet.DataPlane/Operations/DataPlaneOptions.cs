namespace Wavelet.DataPlane.Operations;

/// <summary>Process settings of the data plane (configuration section <c>DataPlane</c>, docs/configuration.md).</summary>
public sealed class DataPlaneOptions
{
    public const string Section = "DataPlane";

    /// <summary>Time between failing readiness and closing sockets on shutdown (matches the chart's preStop sleep).</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval of the WebSocket ping keep-alive.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the config file is re-read as a safety net for missed change notifications.</summary>
    public TimeSpan ConfigPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First delay before restarting change notifications that ended or failed (doubles up to the maximum).</summary>
    public TimeSpan ConfigWatchRetryInitial { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ConfigWatchRetryMax { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Port of the separate management listener; null serves the management routes on the client port (dev and tests),
    /// 0 picks a free port. WAVELET_MANAGEMENT_PORT sets it too.
    /// </summary>
    public int? ManagementPort { get; set; }
}
