using System.Text.RegularExpressions;

namespace Wavelet.Engine;

/// <summary>Fault injection: each fault shows up to clients the way the matching RisingWave failure would.</summary>
public sealed class EngineFaults
{
    private readonly LocalEngine _simulator;
    private readonly Lock _lock = new();
    private TaskCompletionSource _fetchGate = Completed();
    private TimeSpan _fetchDelay;
    private (Regex Pattern, string SqlState, string Message)? _failNext;

    internal EngineFaults(LocalEngine simulator) => _simulator = simulator;

    internal bool BarriersPaused { get; private set; }

    /// <summary>Closes every client connection (and its PostgreSQL session) at once, as a RisingWave restart would.</summary>
    public Task DropAllConnectionsAsync() => _simulator.DropAllSessionsAsync();

    /// <summary>FETCH statements block until <see cref="ResumeFetch"/>.</summary>
    public void StallFetch()
    {
        lock (_lock)
        {
            if (_fetchGate.Task.IsCompleted)
            {
                _fetchGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void ResumeFetch()
    {
        lock (_lock)
        {
            _fetchGate.TrySetResult();
            _fetchDelay = TimeSpan.Zero;
        }
    }

    /// <summary>Every FETCH is delayed by <paramref name="delay"/> before it runs.</summary>
    public void SlowFetch(TimeSpan delay)
    {
        lock (_lock)
        {
            _fetchDelay = delay;
        }
    }

    /// <summary>Recycles all retained history now: cursors behind the head fail with RisingWave's "recycled" error.</summary>
    public Task RecycleHistoryAsync() => _simulator.RecycleHistoryAsync();

    /// <summary>Stops the periodic barrier: no new epochs until <see cref="ResumeBarriers"/> (an explicit BarrierAsync still runs).</summary>
    public void PauseBarriers()
    {
        BarriersPaused = true;
        _simulator.WaitForRunningBarrier();
    }

    public void ResumeBarriers() => BarriersPaused = false;

    /// <summary>The next statement whose SQL matches <paramref name="sqlPattern"/> (a regex) fails with this error instead of running.</summary>
    public void FailNext(string sqlPattern, string sqlState, string message)
    {
        lock (_lock)
        {
            _failNext = (new Regex(sqlPattern, RegexOptions.IgnoreCase | RegexOptions.Singleline), sqlState, message);
        }
    }

    internal (string SqlState, string Message)? TakeFailure(string sql)
    {
        lock (_lock)
        {
            if (_failNext is { } failure && failure.Pattern.IsMatch(sql))
            {
                _failNext = null;
                return (failure.SqlState, failure.Message);
            }

            return null;
        }
    }

    internal async Task BeforeFetchAsync(CancellationToken ct)
    {
        Task gate;
        TimeSpan delay;
        lock (_lock)
        {
            gate = _fetchGate.Task;
            delay = _fetchDelay;
        }

        await gate.WaitAsync(ct);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _simulator.Clock, ct); // allowed: the injected SlowFetch fault itself
        }
    }

    private static TaskCompletionSource Completed()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }
}
