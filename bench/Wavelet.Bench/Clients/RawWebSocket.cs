using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Wavelet.Bench.Clients;

/// <summary>
/// The driver's lean WebSocket client: a plain socket, the HTTP upgrade written once by hand, then server frames parsed
/// straight from the receive buffer (no per-message allocation, no <c>ClientWebSocket</c> state machine), so the driver
/// spends far less CPU per message than the server it measures. Replies to pings and to the server's close.
/// </summary>
public sealed class RawWebSocket : IDisposable
{
    private const int InitialBuffer = 16 * 1024;
    private const byte OpText = 0x1;
    private const byte OpClose = 0x8;
    private const byte OpPing = 0x9;
    private const byte OpPong = 0xA;
    private readonly Socket _socket;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
    private int _start;
    private int _end;

    private RawWebSocket(Socket socket) => _socket = socket;

    /// <summary>Connects and upgrades <paramref name="pathAndQuery"/>; throws when the server does not answer 101.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri baseUri, string pathAndQuery, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new RawWebSocket(socket);
        try
        {
            await socket.ConnectAsync(baseUri.Host, baseUri.Port, ct);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = $"GET {pathAndQuery} HTTP/1.1\r\nHost: {baseUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, ct);
            await client.ReadResponseHeadAsync(ct);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Receives until the connection ends, calling <paramref name="onText"/> for each text message (whole frames: the
    /// server never fragments). Returns the server's close code, or null when the connection ended without one.
    /// </summary>
    public async Task<int?> ReceiveAsync(Action<ReadOnlyMemory<byte>> onText, CancellationToken ct)
    {
        while (true)
        {
            while (TryTakeFrame(out var opcode, out var payload))
            {
                switch (opcode)
                {
                    case OpText:
                        onText(payload);
                        break;
                    case OpPing:
                        await SendMaskedAsync(OpPong, payload, ct);
                        break;
                    case OpClose:
                        int? code = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload.Span) : null;
                        await SendMaskedAsync(OpClose, payload[..Math.Min(2, payload.Length)], ct);
                        return code;
                    default:
                        break;
                }
            }

            if (!await FillAsync(ct))
            {
                return null;
            }
        }
    }

    /// <summary>Ends the connection without a close handshake, as a network failure would.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _socket.Close();
    }

    public void Dispose()
    {
        _socket.Dispose();
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool TryTakeFrame(out byte opcode, out ReadOnlyMemory<byte> payload)
    {
        opcode = 0;
        payload = default;
        var available = _end - _start;
        if (available < 2)
        {
            return false;
        }

        var span = _buffer.AsSpan(_start, available);
        var length7 = span[1] & 0x7F;
        var header = length7 < 126 ? 2 : length7 == 126 ? 4 : 10;
        if (available < header)
        {
            return false;
        }

        long length = length7 < 126 ? length7 : length7 == 126 ? BinaryPrimitives.ReadUInt16BigEndian(span[2..]) : (long)BinaryPrimitives.ReadUInt64BigEndian(span[2..]);
        if (available < header + length)
        {
            return false;
        }

        if ((span[0] & 0x80) == 0)
        {
            throw new InvalidDataException("the server sent a fragmented message; this driver reads whole frames only");
        }

        opcode = (byte)(span[0] & 0x0F);
        payload = _buffer.AsMemory(_start + header, (int)length);
        _start += header + (int)length;
        return true;
    }

    /// <summary>Reads more bytes, first making room (compact, or grow for a frame larger than the buffer); false at end of stream.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            var target = _start > 0 ? _buffer : ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(_start, _end - _start).CopyTo(target);
            if (!ReferenceEquals(target, _buffer))
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = target;
            }

            _end -= _start;
            _start = 0;
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
        _end += read;
        return read > 0;
    }

    private async Task ReadResponseHeadAsync(CancellationToken ct)
    {
        while (true)
        {
            var head = _buffer.AsSpan(0, _end).IndexOf("\r\n\r\n"u8);
            if (head >= 0)
            {
                var status = Encoding.ASCII.GetString(_buffer, 0, Math.Min(_end, 12));
                if (!status.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
                {
                    throw new IOException($"the server refused the WebSocket upgrade: {Encoding.ASCII.GetString(_buffer, 0, head)}");
                }

                _start = head + 4;
                return;
            }

            if (_end == _buffer.Length || !await FillAsync(ct))
            {
                throw new IOException("the server closed the connection (or sent an oversized head) before answering the upgrade");
            }
        }
    }

    /// <summary>A client frame (masked, as RFC 6455 requires; the all-zero key leaves the payload as is).</summary>
    private async ValueTask SendMaskedAsync(byte opcode, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var frame = new byte[6 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        frame[1] = (byte)(0x80 | payload.Length); // control payloads are at most 125 bytes
        payload.Span.CopyTo(frame.AsSpan(6));
        try
        {
            await _socket.SendAsync(frame, SocketFlags.None, ct);
        }
        catch (SocketException)
        {
            // the server may already have dropped the connection
        }
    }
}
