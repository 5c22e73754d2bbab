using System.Net.WebSockets;
using Wavelet.DataPlane.Fanout;

namespace Wavelet.DataPlane.Web;

/// <summary>
/// The fallback when the connection's stream is not ours (a WebSocket not upgraded over HTTP/1.1): each frame's payload
/// goes through <see cref="WebSocket.SendAsync(ReadOnlyMemory{byte}, WebSocketMessageType, bool, CancellationToken)"/>,
/// which refuses to send after the close frame.
/// </summary>
public sealed class WebSocketFrameSink(WebSocket socket) : IFrameSink
{
    public async ValueTask WriteAsync(List<byte[]> frames, long bytes, Subscriber owner, CancellationToken ct)
    {
        foreach (var frame in frames)
        {
            if (owner.IsClosed)
            {
                return;
            }

            await socket.SendAsync(WebSocketFrame.Payload(frame), WebSocketMessageType.Text, endOfMessage: true, ct);
        }
    }
}
