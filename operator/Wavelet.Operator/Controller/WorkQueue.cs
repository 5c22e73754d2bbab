namespace Wavelet.Operator.Controller;

/// <summary>
/// client-go style work queue: a key waiting is queued once however often it is added; a key being processed is never handed
/// to a second worker (adds during processing re-queue it when <see cref="Done"/> is called); failures back off exponentially.
/// Periodic resyncs go to a background lane served only when no event-driven key waits, so re-checking hundreds of
/// converged projects never delays a new or changed one.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly Lock _gate = new();
    private readonly LinkedList<string> _queue = new();
    private readonly LinkedList<string> _background = new();
    private readonly HashSet<string> _inBackground = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ITimer Timer, DateTimeOffset Due, long Id)> _delayed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeProvider _time;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private bool _shutDown;
    private long _nextTimerId;

    public WorkQueue(TimeProvider? timeProvider = null, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _baseDelay = baseDelay ?? TimeSpan.FromSeconds(1);
        _maxDelay = maxDelay ?? TimeSpan.FromMinutes(5);
    }

    /// <summary>Raised with the number of keys waiting whenever it changes.</summary>
    public event Action<int>? DepthChanged;

    public int Depth
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count + _background.Count;
            }
        }
    }

    public void Add(string key)
    {
        lock (_gate)
        {
            if (_shutDown)
            {
                return;
            }

            if (!_dirty.Add(key))
            {
                // Waiting in the background lane: an event makes it urgent (no new permit, the key was already counted).
                if (_inBackground.Remove(key))
                {
                    _background.Remove(key);
                    _queue.AddLast(key);
                }

                return;
            }

            if (_processing.Contains(key))
            {
                return;
            }

            _queue.AddLast(key);
        }

        _available.Release();
        DepthChanged?.Invoke(Depth);
    }

    /// <summary>Adds a periodic re-check: served after every event-driven key; a no-op when the key already waits.</summary>
    public void AddBackground(string key)
    {
        lock (_gate)
        {
            if (_shutDown || _processing.Contains(key) || !_dirty.Add(key))
            {
                // Being processed: the resync would only repeat what the running reconcile is doing.
                return;
            }

            _background.AddLast(key);
            _inBackground.Add(key);
        }

        _available.Release();
        DepthChanged?.Invoke(Depth);
    }

    /// <summary>Adds the key after <paramref name="delay"/>; of several pending delayed adds for a key the earliest wins.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_gate)
        {
            var due = _time.GetUtcNow() + delay;
            if (_shutDown || (_delayed.TryGetValue(key, out var pending) && pending.Due <= due))
            {
                return;
            }

            if (_delayed.Remove(key, out var later))
            {
                later.Timer.Dispose();
            }

            var id = ++_nextTimerId;
            var timer = _time.CreateTimer(_ =>
            {
                lock (_gate)
                {
                    if (!_delayed.TryGetValue(key, out var current) || current.Id != id)
                    {
                        return;
                    }

                    _delayed.Remove(key);
                    current.Timer.Dispose();
                }

                Add(key);
            }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _delayed[key] = (timer, due, id);
            timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Re-adds a failed key after base × 2^failures (capped).</summary>
    public TimeSpan AddRateLimited(string key)
    {
        TimeSpan delay;
        lock (_gate)
        {
            _failures.TryGetValue(key, out var failures);
            _failures[key] = failures + 1;
            delay = BackoffFor(failures);
        }

        AddAfter(key, delay);
        return delay;
    }

    public int Failures(string key)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Clears the key's failure count (call after a success) and any pending delayed add.</summary>
    public void Forget(string key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
            if (_delayed.Remove(key, out var pending))
            {
                pending.Timer.Dispose();
            }
        }
    }

    /// <summary>Waits for the next key; null once the queue is shut down.</summary>
    public async Task<string?> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken);
            int depth;
            string key;
            lock (_gate)
            {
                if (_shutDown)
                {
                    _available.Release();
                    return null;
                }

                var lane = _queue.First is not null ? _queue : _background;
                if (lane.First is null)
                {
                    continue;
                }

                key = lane.First.Value;
                lane.RemoveFirst();
                _inBackground.Remove(key);
                _dirty.Remove(key);
                _processing.Add(key);
                depth = _queue.Count + _background.Count;
            }

            DepthChanged?.Invoke(depth);
            return key;
        }
    }

    /// <summary>Marks the key's processing finished; a key added meanwhile is queued again.</summary>
    public void Done(string key)
    {
        bool requeue;
        int depth;
        lock (_gate)
        {
            _processing.Remove(key);
            requeue = _dirty.Contains(key) && !_shutDown;
            if (requeue)
            {
                _queue.AddLast(key);
            }

            depth = _queue.Count + _background.Count;
        }

        if (requeue)
        {
            _available.Release();
            DepthChanged?.Invoke(depth);
        }
    }

    public void ShutDown()
    {
        lock (_gate)
        {
            if (_shutDown)
            {
                return;
            }

            _shutDown = true;
            foreach (var pending in _delayed.Values)
            {
                pending.Timer.Dispose();
            }

            _delayed.Clear();
        }

        _available.Release();
    }

    public void Dispose()
    {
        ShutDown();
        _available.Dispose();
    }

    private TimeSpan BackoffFor(int previousFailures)
    {
        var factor = Math.Pow(2, Math.Min(previousFailures, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(_baseDelay.Ticks * factor, _maxDelay.Ticks));
        return delay;
    }
}
