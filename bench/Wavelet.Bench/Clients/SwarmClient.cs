using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace Wavelet.Bench.Clients;

/// <summary>
/// One WebSocket subscriber: connects with its tenant's token (and its last cursor on reconnect), then runs its own
/// receive loop that scans each message and records counters and latencies in the shared <see cref="SwarmStats"/>.
/// </summary>
public sealed class SwarmClient : IAsyncDisposable
{
    private const int InitialBuffer = 8 * 1024;
    private readonly SwarmStats _stats;
    private readonly string _timestampColumn;
    private ClientWebSocket? _socket;
    private Task _receiveLoop = Task.CompletedTask;
    private int _snapshots;
    private int _diffs;

    public SwarmClient(string? tenant, SwarmStats stats, string timestampColumn)
    {
        Tenant = tenant;
        _stats = stats;
        _timestampColumn = timestampColumn;
    }

    public string? Tenant { get; }

    /// <summary>Cursor of the last diff received; sent back on reconnect.</summary>
    public string? LastCursor { get; private set; }

    public int SnapshotsReceived => Volatile.Read(ref _snapshots);

    public int DiffsReceived => Volatile.Read(ref _diffs);

    public bool IsOpen => _socket?.State == WebSocketState.Open;

    public async Task ConnectAsync(Uri baseUri, string query, string token, bool withCursor, HttpMessageInvoker invoker, CancellationToken ct)
    {
        var uri = $"{baseUri.ToString().TrimEnd('/').Replace("http://", "ws://", StringComparison.Ordinal)}/subscribe/{query}?token={Uri.EscapeDataString(token)}";
        if (withCursor && LastCursor is not null)
        {
            uri += "&cursor=" + Uri.EscapeDataString(LastCursor);
        }

        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(new Uri(uri), invoker, ct);
        }
        catch
        {
            socket.Dispose();
            _stats.OnError();
            throw;
        }

        _socket = socket;
        _stats.OnConnected();
        _receiveLoop = Task.Run(() => ReceiveAsync(socket, ct), CancellationToken.None);
    }

    /// <summary>Drops the connection without a close handshake, as a network failure or a killed pod would.</summary>
    public async Task DropAsync()
    {
        _socket?.Abort();
        await _receiveLoop;
        _socket?.Dispose();
        _socket = null;
    }

    public async ValueTask DisposeAsync() => await DropAsync();

    private async Task ReceiveAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(filled), ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _stats.OnServerClose((int?)socket.CloseStatus);
                    return;
                }

                filled += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                OnMessage(buffer.AsSpan(0, filled));
                filled = 0;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // dropped by DropAsync, by the server or at the end of the run
        }
        catch (JsonException)
        {
            _stats.OnError();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void OnMessage(ReadOnlySpan<byte> message)
    {
        var nowMicros = UnixClock.NowMicros();
        var scanned = MessageScanner.Scan(message, _timestampColumn, nowMicros, _stats.WriteToClient);
        switch (scanned.Kind)
        {
            case MessageKind.Snapshot:
                Interlocked.Increment(ref _snapshots);
                _stats.OnSnapshot(scanned.Rows);
                break;
            case MessageKind.Diff:
                Interlocked.Increment(ref _diffs);
                _stats.OnDiff(scanned.Rows);
                if (scanned.Cursor is { } cursor)
                {
                    LastCursor = cursor;
                    if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var epochMs))
                    {
                        _stats.EpochToClient.Record(nowMicros - (epochMs * 1000));
                    }
                }

                break;
        }
    }
}
