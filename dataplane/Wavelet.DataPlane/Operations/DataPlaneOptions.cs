namespace Wavelet.DataPlane.Operations;

public sealed class DataPlaneOptions
{
    /// <summary>Time between failing readiness and closing sockets on shutdown (matches the chart's preStop sleep).</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval of the WebSocket ping keep-alive.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);
}
