namespace Wavelet.DataPlane.Fanout;

/// <summary>Where a subscriber's writer puts its pending frames: the connection's stream, or the WebSocket as a fallback.</summary>
public interface IFrameSink
{
    /// <summary>
    /// Writes <paramref name="frames"/> (whole WebSocket frames) in order, in as few writes as the transport allows.
    /// Writes nothing once <paramref name="owner"/> is closed, checked after any control frame that was being sent, so
    /// no data frame ever follows the close frame.
    /// </summary>
    ValueTask WriteAsync(List<byte[]> frames, long bytes, Subscriber owner, CancellationToken ct);
}
