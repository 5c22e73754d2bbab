using System.Buffers.Binary;

namespace Wavelet.DataPlane.Fanout;

/// <summary>
/// Server-to-client WebSocket text frames (RFC 6455 §5.2): FIN set, opcode 1, unmasked, shortest length encoding, no
/// extensions. These are the bytes <c>WebSocket.SendAsync(payload, Text, endOfMessage: true)</c> puts on the wire, built
/// once per message and shared by every recipient.
/// </summary>
public static class WebSocketFrame
{
    private const byte FinText = 0x81;

    public static byte[] Text(ReadOnlySpan<byte> payload)
    {
        var header = HeaderLength(payload.Length);
        var frame = new byte[header + payload.Length];
        frame[0] = FinText;
        if (payload.Length < 126)
        {
            frame[1] = (byte)payload.Length;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            frame[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }

    public static int HeaderLength(int payloadLength) => payloadLength < 126 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;

    /// <summary>The payload of a frame built by <see cref="Text"/>.</summary>
    public static ReadOnlyMemory<byte> Payload(byte[] frame) => frame.AsMemory(frame[1] < 126 ? 2 : frame[1] == 126 ? 4 : 10);
}
