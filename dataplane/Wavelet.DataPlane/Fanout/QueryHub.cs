using Wavelet.DataPlane.Feed;
using Wavelet.DataPlane.Observability;
using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Fanout;

/// <summary>
/// One query's state, resume ring and subscribers, the one place subscribers are registered. Every operation runs under
/// one lock, so registering a subscriber (taking the rows of its snapshot or the epochs it missed) is atomic with respect
/// to live epochs: no gap, no duplicate. Serialising that snapshot or replay happens after the lock is released, with
/// the subscriber held so live diffs queue behind it. Each cohort's message is framed once; enqueueing never blocks.
/// </summary>
public sealed class QueryHub
{
    private readonly object _lock = new();
    private readonly QueryState _state;
    private readonly EpochRing _ring;
    private readonly Dictionary<string, Cohort> _cohorts = new(StringComparer.Ordinal);
    private readonly byte[] _connected;
    private long _lastEpoch = NoEpoch;
    private const long NoEpoch = long.MinValue;
    private IReadOnlyList<string> _columns = [];
    private (int Code, string Reason)? _retired;
    private object? _feed;
    private long _resumeAbove = NoEpoch;

    public QueryHub(string name, string? filterBy, int resumeEpochs, DataPlaneMetrics metrics)
    {
        Name = name;
        FilterBy = filterBy;
        Metrics = metrics;
        _state = new QueryState(filterBy);
        _ring = new EpochRing(resumeEpochs);
        _connected = WebSocketFrame.Text(Messages.Connected(name));
    }

    public string Name { get; }

    public string? FilterBy { get; }

    public DataPlaneMetrics Metrics { get; }

    /// <summary>True once the first snapshot has been applied.</summary>
    public bool Ready { get; private set; }

    /// <summary>The newest epoch applied; one 64-bit field read atomically (a <c>long?</c> is two words and could tear).</summary>
    public long? LastEpoch => Volatile.Read(ref _lastEpoch) is var epoch && epoch != NoEpoch ? epoch : null;

    public int SubscriberCount
    {
        get
        {
            lock (_lock)
            {
                return _cohorts.Values.Sum(c => c.Members.Count);
            }
        }
    }

    /// <summary>Columns seen in the feed's results (the MV's visible columns).</summary>
    public IReadOnlyList<string> Columns
    {
        get
        {
            lock (_lock)
            {
                return _columns;
            }
        }
    }

    public List<Row> Rows(Partitions visible)
    {
        lock (_lock)
        {
            return _state.Rows(visible);
        }
    }

    /// <summary>
    /// Makes <paramref name="feed"/> the one feed whose events this hub applies from now on. A replaced feed is stopped
    /// without waiting, so it can still yield an event it had fetched; that event, of the old definition, must not reach
    /// the new definition's state or subscribers. Cursors up to the newest epoch of the replaced feed no longer resume:
    /// they may name an epoch of the old definition, whose numbers the new one shares.
    /// </summary>
    public void Attach(object feed)
    {
        lock (_lock)
        {
            if (_feed is not null)
            {
                _resumeAbove = Math.Max(_resumeAbove, _lastEpoch);
            }

            _feed = feed;
        }
    }

    /// <summary>Applies a snapshot of <paramref name="feed"/>; false (nothing done) when another feed was attached since.</summary>
    public bool ApplySnapshot(object feed, IReadOnlyList<Row> rows)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_feed, feed))
            {
                return false;
            }

            ApplySnapshot(rows);
            return true;
        }
    }

    /// <summary>Applies an epoch of <paramref name="feed"/>; false (nothing done) when another feed was attached since.</summary>
    public bool ApplyEpoch(object feed, long timestamp, IReadOnlyList<Change> changes)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_feed, feed))
            {
                return false;
            }

            ApplyEpoch(timestamp, changes);
            return true;
        }
    }

    /// <summary>Replaces the state and sends every subscriber a fresh snapshot (one serialisation per cohort).</summary>
    public void ApplySnapshot(IReadOnlyList<Row> rows)
    {
        lock (_lock)
        {
            _state.Reset(rows);
            _ring.Clear();
            if (rows.Count > 0)
            {
                _columns = rows[0].Columns;
            }

            Ready = true;
            foreach (var cohort in _cohorts.Values)
            {
                var frame = WebSocketFrame.Text(Messages.Snapshot(Name, _state.Rows(cohort.Members[0].Partitions)));
                Deliver(cohort, frame, snapshot: true);
            }
        }
    }

    public void ApplyEpoch(long timestamp, IReadOnlyList<Change> changes)
    {
        lock (_lock)
        {
            var byPartition = new Dictionary<string, List<Change>>(StringComparer.Ordinal);
            foreach (var change in changes)
            {
                _state.Apply(change);
                var key = _state.PartitionOf(change.Row);
                if (!byPartition.TryGetValue(key, out var list))
                {
                    list = [];
                    byPartition[key] = list;
                }

                list.Add(change);
            }

            if (changes.Count > 0)
            {
                _columns = changes[^1].Row.Columns;
            }

            var epoch = new SplitEpoch(timestamp, changes, byPartition);
            _ring.Add(epoch);
            Volatile.Write(ref _lastEpoch, timestamp);
            foreach (var cohort in _cohorts.Values)
            {
                if (Messages.Diff(Name, timestamp, epoch.For(cohort.Members[0].Partitions)) is { } message)
                {
                    Deliver(cohort, WebSocketFrame.Text(message), snapshot: false);
                }
            }
        }
    }

    /// <summary>
    /// Registers for live epochs and queues <c>connected</c>, then either the diffs missed since
    /// <paramref name="cursor"/> (when the ring covers it) or a snapshot. Returns true when resumed from the ring.
    /// </summary>
    public bool Register(Subscriber subscriber, long? cursor)
    {
        List<Row>? rows = null;
        IReadOnlyList<SplitEpoch>? missed = null;
        lock (_lock)
        {
            if (_retired is { } retired)
            {
                // The query was removed or replaced while this client was connecting.
                subscriber.Close(retired.Code, retired.Reason);
                return false;
            }

            if (Ready)
            {
                missed = cursor is { } c && c > _resumeAbove ? _ring.After(c) : null;
                rows = missed is null ? _state.Rows(subscriber.Partitions) : null;
            }

            subscriber.Hold();
            var key = subscriber.Partitions.CohortKey;
            if (!_cohorts.TryGetValue(key, out var cohort))
            {
                cohort = new Cohort(key);
                _cohorts[key] = cohort;
            }

            cohort.Add(subscriber);
        }

        // Rows and split epochs are immutable once taken: serialising them here does not stall the feed or other connects.
        var first = new List<byte[]> { _connected };
        if (missed is not null)
        {
            Metrics.ResumesServed.Add(1, DataPlaneMetrics.Query(Name));
            foreach (var epoch in missed)
            {
                if (Messages.Diff(Name, epoch.Timestamp, epoch.For(subscriber.Partitions)) is { } diff)
                {
                    first.Add(WebSocketFrame.Text(diff));
                }
            }
        }
        else if (rows is not null)
        {
            Metrics.SnapshotsServed.Add(1, DataPlaneMetrics.Query(Name));
            first.Add(WebSocketFrame.Text(Messages.Snapshot(Name, rows)));
        }

        subscriber.Release(first);
        return missed is not null;
    }

    /// <summary>Removes <paramref name="subscriber"/> in O(1); a subscriber not registered here is ignored.</summary>
    public void Unregister(Subscriber subscriber)
    {
        lock (_lock)
        {
            if (subscriber.Cohort is { } cohort && _cohorts.TryGetValue(cohort.Key, out var current) && ReferenceEquals(current, cohort)
                && cohort.Remove(subscriber) && cohort.Members.Count == 0)
            {
                _cohorts.Remove(cohort.Key);
            }
        }
    }

    /// <summary>Closes every subscriber and every later registration: the hub is no longer served (query removed or replaced).</summary>
    public void Retire(int code, string reason)
    {
        lock (_lock)
        {
            _retired = (code, reason);
            CloseAll(code, reason);
        }
    }

    /// <summary>Closes every current subscriber (e.g. its access rules changed); later registrations are served.</summary>
    public void CloseAll(int code, string reason)
    {
        lock (_lock)
        {
            foreach (var subscriber in _cohorts.Values.SelectMany(c => c.Members))
            {
                subscriber.Cohort = null;
                subscriber.Close(code, reason);
            }

            _cohorts.Clear();
        }
    }

    private void Deliver(Cohort cohort, byte[] frame, bool snapshot)
    {
        foreach (var subscriber in cohort.Members)
        {
            Send(subscriber, frame);
        }

        if (snapshot)
        {
            Metrics.SnapshotsServed.Add(cohort.Members.Count, DataPlaneMetrics.Query(Name));
        }
    }

    private void Send(Subscriber subscriber, byte[] frame)
    {
        if (subscriber.Enqueue(frame) == EnqueueResult.Overflowed)
        {
            Metrics.SlowConsumerDisconnects.Add(1, DataPlaneMetrics.Query(Name));
        }
    }
}
