using Wavelet.DataPlane.Feed;
using Wavelet.DataPlane.Observability;
using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Fanout;

/// <summary>
/// One query's state, resume ring and subscribers. Every operation runs under one lock, so registering a subscriber
/// (snapshot or replay) is atomic with respect to live epochs: no gap, no duplicate. Enqueueing never blocks.
/// </summary>
public sealed class QueryHub
{
    private readonly object _lock = new();
    private readonly QueryState _state;
    private readonly EpochRing _ring;
    private readonly Dictionary<string, List<Subscriber>> _cohorts = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _columns = [];
    private (int Code, string Reason)? _retired;

    public QueryHub(string name, string? filterBy, int resumeEpochs, DataPlaneMetrics metrics)
    {
        Name = name;
        FilterBy = filterBy;
        Metrics = metrics;
        _state = new QueryState(filterBy);
        _ring = new EpochRing(resumeEpochs);
    }

    public string Name { get; }

    public string? FilterBy { get; }

    public DataPlaneMetrics Metrics { get; }

    /// <summary>True once the first snapshot has been applied.</summary>
    public bool Ready { get; private set; }

    public long? LastEpoch { get; private set; }

    public int SubscriberCount
    {
        get
        {
            lock (_lock)
            {
                return _cohorts.Values.Sum(c => c.Count);
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
                var message = Messages.Snapshot(Name, _state.Rows(cohort[0].Partitions));
                Deliver(cohort, message, snapshot: true);
            }

            PruneClosed();
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
            LastEpoch = timestamp;
            foreach (var cohort in _cohorts.Values)
            {
                if (Messages.Diff(Name, timestamp, epoch.For(cohort[0].Partitions)) is { } message)
                {
                    Deliver(cohort, message, snapshot: false);
                }
            }

            PruneClosed();
        }
    }

    /// <summary>
    /// Queues <c>connected</c>, then either the diffs missed since <paramref name="cursor"/> (when the ring covers it)
    /// or a snapshot, then registers for live epochs; all under the lock. Returns true when resumed from the ring.
    /// </summary>
    public bool Register(Subscriber subscriber, long? cursor)
    {
        lock (_lock)
        {
            if (_retired is { } retired)
            {
                // The query was removed or replaced while this client was connecting.
                subscriber.Close(retired.Code, retired.Reason);
                return false;
            }

            subscriber.Enqueue(Messages.Connected(Name));
            var resumed = false;
            if (Ready)
            {
                var missed = cursor is { } c ? _ring.After(c) : null;
                if (missed is not null)
                {
                    resumed = true;
                    Metrics.ResumesServed.WithLabels(Name).Inc();
                    foreach (var epoch in missed)
                    {
                        if (Messages.Diff(Name, epoch.Timestamp, epoch.For(subscriber.Partitions)) is { } diff)
                        {
                            Send(subscriber, diff);
                        }
                    }
                }
                else
                {
                    Metrics.SnapshotsServed.WithLabels(Name).Inc();
                    Send(subscriber, Messages.Snapshot(Name, _state.Rows(subscriber.Partitions)));
                }
            }

            var key = subscriber.Partitions.CohortKey;
            if (!_cohorts.TryGetValue(key, out var cohort))
            {
                cohort = [];
                _cohorts[key] = cohort;
            }

            cohort.Add(subscriber);
            return resumed;
        }
    }

    public void Unregister(Subscriber subscriber)
    {
        lock (_lock)
        {
            var key = subscriber.Partitions.CohortKey;
            if (_cohorts.TryGetValue(key, out var cohort) && cohort.Remove(subscriber) && cohort.Count == 0)
            {
                _cohorts.Remove(key);
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
            foreach (var subscriber in _cohorts.Values.SelectMany(c => c))
            {
                subscriber.Close(code, reason);
            }

            _cohorts.Clear();
        }
    }

    private void Deliver(List<Subscriber> cohort, byte[] message, bool snapshot)
    {
        foreach (var subscriber in cohort)
        {
            Send(subscriber, message);
            if (snapshot)
            {
                Metrics.SnapshotsServed.WithLabels(Name).Inc();
            }
        }
    }

    private void Send(Subscriber subscriber, byte[] message)
    {
        if (subscriber.Enqueue(message) == EnqueueResult.Overflowed)
        {
            Metrics.SlowConsumerDisconnects.WithLabels(Name).Inc();
        }
    }

    private void PruneClosed()
    {
        foreach (var (key, cohort) in _cohorts.ToList())
        {
            cohort.RemoveAll(s => s.IsClosed);
            if (cohort.Count == 0)
            {
                _cohorts.Remove(key);
            }
        }
    }
}
