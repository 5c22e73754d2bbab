using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Wavelet.Bench.Clients;

namespace Wavelet.Bench.Soak;

/// <summary>
/// One subscribed client that behaves as an app should: it keeps the rows it was sent (snapshot, then diffs), remembers
/// the cursor of the last diff it applied, and on any disconnect reconnects with that cursor. It also checks what it
/// receives: a diff whose cursor is not above the last one is a duplicate (not applied); an inserted row it already holds
/// and a deleted row it does not hold are counted as delivery errors.
/// </summary>
public sealed class SoakClient
{
    private readonly Func<Uri> _address;
    private readonly Func<string> _token;
    private readonly Func<bool> _removed;
    private readonly SoakCounters _counters;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _rows = new(StringComparer.Ordinal);
    private RawWebSocket? _socket;
    private bool _hadSnapshot;
    private bool _connectedWithCursor;
    private bool _firstPayloadSeen;
    private int _generation = -1;
    private int _cursorGeneration = -1;

    public SoakClient(Func<Uri> address, string query, string? tenant, Func<string> token, SoakCounters counters, Func<bool>? removed = null)
    {
        _removed = removed ?? (() => false);
        _address = address;
        Query = query;
        Tenant = tenant;
        _token = token;
        _counters = counters;
    }

    public string Query { get; }

    public string? Tenant { get; }

    public long? LastCursor { get; private set; }

    /// <summary>Set once the query is removed (4003 on an open socket, or 4000 on reconnecting after the removal): the client stops.</summary>
    public bool Removed { get; private set; }

    /// <summary>True while a socket is open and its first message arrived.</summary>
    public bool Connected { get; private set; }

    public IReadOnlyDictionary<string, int> Rows()
    {
        lock (_lock)
        {
            return new Dictionary<string, int>(_rows, StringComparer.Ordinal);
        }
    }

    /// <summary>Drops the connection without a close handshake (reconnect storm); the run loop reconnects with the cursor.</summary>
    public void Abort() => _socket?.Abort();

    public async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested && !Removed)
        {
            var path = $"/subscribe/{Query}?token={Uri.EscapeDataString(_token())}"
                + (LastCursor is { } c ? "&cursor=" + c.ToString(CultureInfo.InvariantCulture) : "");
            int? code = null;
            try
            {
                var generation = _counters.Generation;
                using var socket = await RawWebSocket.ConnectAsync(_address(), path, ct);
                lock (_lock)
                {
                    _connectedWithCursor = LastCursor is not null;
                    _firstPayloadSeen = false;
                    _generation = generation;
                }

                _socket = socket;
                Interlocked.Increment(ref _counters.Connects);
                if (LastCursor is not null)
                {
                    Interlocked.Increment(ref _counters.ResumeAttempts);
                }

                failures = 0;
                code = await socket.ReceiveAsync(OnMessage, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                failures++;
                Interlocked.Increment(ref _counters.ConnectionFailures);
                code = -1;
            }
            finally
            {
                _socket = null;
                Connected = false;
            }

            if (code != -1)
            {
                _counters.Closed(code);
            }

            // 4003 reaches a client connected when the query is removed; one reconnecting at that moment is refused with 4000.
            if (code == 4003 || (code == 4000 && _removed()))
            {
                Removed = true;
                return;
            }

            // Jittered backoff so a storm does not reconnect in lockstep; longer while the server is unreachable.
            var delay = TimeSpan.FromMilliseconds(Random.Shared.Next(10, 100) * Math.Min(1 << Math.Min(failures, 4), 10));
            try
            {
                await Task.Delay(delay, ct); // allowed: the client's reconnect backoff, part of the behaviour under test
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnMessage(ReadOnlyMemory<byte> payload)
    {
        var now = UnixClock.NowMicros();
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString();
        Interlocked.Increment(ref _counters.Messages);
        lock (_lock)
        {
            Connected = true;
            if (type == "snapshot")
            {
                ApplySnapshot(root);
            }
            else if (type == "diff")
            {
                ApplyDiff(root, now);
            }

            _firstPayloadSeen |= type is "snapshot" or "diff";
        }
    }

    private void ApplySnapshot(JsonElement root)
    {
        if (_hadSnapshot)
        {
            _counters.FreshSnapshot(Query == SoakSchema.ExtraQuery ? "extra query" : "main queries", FreshReason());
        }

        _hadSnapshot = true;
        // A snapshot replaces everything, the position included: the next diff starts a new sequence (after a query's
        // SQL changed its epochs may be numbered at or below the old definition's last cursor), and a reconnect before
        // that diff has no cursor to offer.
        LastCursor = null;
        _rows.Clear();
        foreach (var row in root.GetProperty("rows").EnumerateArray())
        {
            Add(row, countDuplicates: false);
        }
    }

    private void ApplyDiff(JsonElement root, long now)
    {
        var cursor = long.Parse(root.GetProperty("cursor").GetString()!, CultureInfo.InvariantCulture);
        if (LastCursor is { } last && cursor <= last)
        {
            Interlocked.Increment(ref _counters.DuplicateDiffs);
            _counters.Duplicate($"{Query} diff cursor {cursor} after {last}");
            return;
        }

        LastCursor = cursor;
        _cursorGeneration = _generation;
        Interlocked.Increment(ref _counters.Diffs);
        foreach (var row in root.GetProperty("deleted").EnumerateArray())
        {
            var key = Key(row);
            if (_rows.TryGetValue(key, out var count) && count > 0)
            {
                if (count == 1)
                {
                    _rows.Remove(key);
                }
                else
                {
                    _rows[key] = count - 1;
                }
            }
            else
            {
                Interlocked.Increment(ref _counters.UnknownDeletes);
            }
        }

        foreach (var name in (ReadOnlySpan<string>)["inserted", "updated"])
        {
            foreach (var row in root.GetProperty(name).EnumerateArray())
            {
                Add(row, countDuplicates: true);
                if (row.TryGetProperty("written_at", out var written) && long.TryParse(Text(written), CultureInfo.InvariantCulture, out var micros))
                {
                    _counters.Latency(now - micros);
                }
            }
        }
    }

    private void Add(JsonElement row, bool countDuplicates)
    {
        var key = Key(row);
        _rows.TryGetValue(key, out var count);
        if (countDuplicates && count > 0)
        {
            Interlocked.Increment(ref Query == SoakSchema.ExtraQuery ? ref _counters.DuplicateRowsChangedQuery : ref _counters.DuplicateRows);
            _counters.Duplicate($"{Query} row");
        }

        _rows[key] = count + 1;
    }

    /// <summary>Why a snapshot replaced rows the client already held (the documented cases; anything else is a finding).</summary>
    private string FreshReason()
    {
        if (_firstPayloadSeen)
        {
            return "on an open socket (feed restarted from scratch or query changed)";
        }

        if (!_connectedWithCursor)
        {
            return "reconnected before its first diff (no cursor to resume from)";
        }

        return _cursorGeneration != _generation
            ? "resumed on a restarted data plane (its ring starts empty)"
            : "cursor outside the ring of the same data plane";
    }

    /// <summary>A row's identity for the end check: id and version, compared as text whatever the value shape.</summary>
    public static string Key(string id, string v) => id + "|" + v;

    private static string Key(JsonElement row) => Key(Text(row.GetProperty("id")), Text(row.GetProperty("v")));

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

}
