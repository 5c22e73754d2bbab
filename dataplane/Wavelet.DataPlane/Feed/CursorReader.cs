using System.Globalization;
using Npgsql;
using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Feed;

/// <summary>
/// One connection + one subscription cursor. Turns FETCH batches into feed events: FULL's snapshot rows (NULL
/// rw_timestamp) become one snapshot; changes are grouped by rw_timestamp into epochs. An epoch is complete when a later
/// epoch starts or a FETCH returns fewer rows than asked (RisingWave makes an epoch visible at once, so a short batch
/// has drained every visible epoch). A FETCH that follows a full batch does not wait.
/// </summary>
internal sealed class CursorReader : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _subscription;
    private readonly long? _since;
    private readonly FeedOptions _options;
    private readonly ValueShape _shape;
    private readonly ILogger _logger;
    private readonly Queue<FeedEvent> _ready = new();
    private NpgsqlConnection? _connection;
    private List<Row>? _snapshot;
    private long? _pendingTimestamp;
    private List<Change> _pending = [];
    private bool _lastBatchWasFull;

    public CursorReader(NpgsqlDataSource dataSource, string subscription, long? since, FeedOptions options, ValueShape shape, ILogger logger)
    {
        _shape = shape;
        _dataSource = dataSource;
        _subscription = subscription;
        _since = since;
        _options = options;
        _logger = logger;
    }

    /// <summary>The next complete event, or null after a FETCH that completed nothing.</summary>
    public async Task<FeedEvent?> NextAsync(CancellationToken ct)
    {
        if (_ready.TryDequeue(out var ready))
        {
            return ready;
        }

        if (_connection is null)
        {
            await OpenAsync(ct);
        }

        await FetchAsync(ct);
        return _ready.TryDequeue(out var next) ? next : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private async Task OpenAsync(CancellationToken ct)
    {
        _connection = await _dataSource.OpenConnectionAsync(ct);
        var from = _since is { } since ? $"SINCE {since.ToString(CultureInfo.InvariantCulture)}" : "FULL";
        await using var declare = new NpgsqlCommand($"DECLARE wavelet_cursor SUBSCRIPTION CURSOR FOR {_subscription} {from}", _connection);
        await declare.ExecuteNonQueryAsync(ct);
        _snapshot = _since is null ? [] : null;
        _logger.CursorDeclared(_subscription, from);
    }

    private async Task FetchAsync(CancellationToken ct)
    {
        // Not cancelled mid-flight (RisingWave may drop rows a cancelled FETCH consumed); the server-side timeout bounds it.
        // After a full batch the visible epoch may have more rows or may have ended exactly at the batch boundary: ask
        // again without waiting, so an epoch of exactly FetchSize rows is not held until the next epoch or the timeout.
        var size = _options.FetchSize.ToString(CultureInfo.InvariantCulture);
        var sql = _lastBatchWasFull
            ? $"FETCH {size} FROM wavelet_cursor"
            : $"FETCH {size} FROM wavelet_cursor WITH (timeout = '{_options.FetchTimeoutSeconds.ToString(CultureInfo.InvariantCulture)}s')";
        await using var fetch = new NpgsqlCommand(sql, _connection);
        await using var reader = await fetch.ExecuteReaderAsync(CancellationToken.None);
        var count = 0;
        var fields = reader.FieldCount;
        var columns = new string[fields - 2];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = reader.GetName(i);
        }

        while (await reader.ReadAsync(CancellationToken.None))
        {
            count++;
            var values = new object?[columns.Length];
            for (var i = 0; i < columns.Length; i++)
            {
                values[i] = ColumnValues.Read(reader, i);
            }

            var op = RowOps.Parse(reader.GetValue(fields - 2));
            var row = new Row(columns, values, _shape);
            if (reader.IsDBNull(fields - 1))
            {
                (_snapshot ??= []).Add(row);
                continue;
            }

            CompleteSnapshot();
            var timestamp = Convert.ToInt64(reader.GetValue(fields - 1), CultureInfo.InvariantCulture);
            if (_pendingTimestamp is { } pending && pending != timestamp)
            {
                CompleteEpoch();
            }

            _pendingTimestamp = timestamp;
            _pending.Add(new Change(op, row));
        }

        _lastBatchWasFull = count >= _options.FetchSize;
        if (!_lastBatchWasFull)
        {
            CompleteSnapshot();
            CompleteEpoch();
        }

        ct.ThrowIfCancellationRequested();
    }

    private void CompleteSnapshot()
    {
        if (_snapshot is not null)
        {
            _ready.Enqueue(new SnapshotEvent(_snapshot));
            _snapshot = null;
        }
    }

    private void CompleteEpoch()
    {
        if (_pendingTimestamp is { } timestamp)
        {
            _ready.Enqueue(new EpochEvent(timestamp, _pending));
            _pending = [];
            _pendingTimestamp = null;
        }
    }
}
