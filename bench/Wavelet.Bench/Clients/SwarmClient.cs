using System.Globalization;
using System.Text.Json;

namespace Wavelet.Bench.Clients;

/// <summary>
/// One WebSocket subscriber: connects with its tenant's token (and its last cursor on reconnect) over a
/// <see cref="RawWebSocket"/>, then runs its receive loop that scans each message in place and records counters and
/// latencies in the shared <see cref="SwarmStats"/>.
/// </summary>
public sealed class SwarmClient : IAsyncDisposable
{
    private readonly SwarmStats _stats;
    private readonly string _timestampColumn;
    private RawWebSocket? _socket;
    private bool _open;
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

    public bool IsOpen => Volatile.Read(ref _open);

    public async Task ConnectAsync(Uri baseUri, string query, string token, bool withCursor, CancellationToken ct)
    {
        var path = $"/subscribe/{query}?token={Uri.EscapeDataString(token)}";
        if (withCursor && LastCursor is not null)
        {
            path += "&cursor=" + Uri.EscapeDataString(LastCursor);
        }

        RawWebSocket socket;
        try
        {
            socket = await RawWebSocket.ConnectAsync(baseUri, path, ct);
        }
        catch
        {
            _stats.OnError();
            throw;
        }

        _socket = socket;
        Volatile.Write(ref _open, true);
        _stats.OnConnected();
        _receiveLoop = ReceiveAsync(socket, ct);
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

    private async Task ReceiveAsync(RawWebSocket socket, CancellationToken ct)
    {
        try
        {
            var code = await socket.ReceiveAsync(message => OnMessage(message.Span), ct);
            if (code is not null)
            {
                _stats.OnServerClose(code);
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // dropped by DropAsync, by the server or at the end of the run
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            _stats.OnError();
        }
        finally
        {
            Volatile.Write(ref _open, false);
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
