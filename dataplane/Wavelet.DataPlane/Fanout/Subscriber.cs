using System.Net.WebSockets;
using Wavelet.DataPlane.Observability;
using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Fanout;

/// <summary>
/// One WebSocket's outgoing frames, bounded in bytes, and the writer that sends them. Enqueue never blocks the feed: it
/// appends the shared pre-framed bytes and, when no write is running, schedules one; that write takes every frame queued
/// so far and hands them to the sink in one write, so a client that falls behind costs one write per batch, not per
/// message. A subscriber whose queue would pass its bound is closed as a slow consumer (its queued frames are dropped;
/// it resumes by cursor). An idle subscriber holds no frames and runs no task.
/// </summary>
public sealed class Subscriber : IThreadPoolWorkItem
{
    private const int MaxKeptListCapacity = 64;
    private readonly Lock _gate = new();
    private readonly long _maxQueuedBytes;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<byte[]>? _pending;
    private List<byte[]>? _spare;
    private long _queuedBytes;
    private bool _busy;
    private bool _held;
    private IFrameSink? _sink;
    private SendCounters _sent;
    private CloseReason? _closeRequest;

    public Subscriber(Partitions partitions, long maxQueuedBytes)
    {
        Partitions = partitions;
        _maxQueuedBytes = maxQueuedBytes;
    }

    public Partitions Partitions { get; }

    /// <summary>Frame bytes queued or being written.</summary>
    public long QueuedBytes
    {
        get
        {
            lock (_gate)
            {
                return _queuedBytes;
            }
        }
    }

    /// <summary>Set once the subscriber must be closed; the socket closes with it.</summary>
    public CloseReason? CloseRequest => Volatile.Read(ref _closeRequest);

    public bool IsClosed => CloseRequest is not null;

    /// <summary>Completes when <see cref="Close"/> is called.</summary>
    public Task Closed => _closed.Task;

    /// <summary>The hub's bookkeeping (cohort and position in it), changed only under the hub's lock.</summary>
    internal Cohort? Cohort { get; set; }

    internal int Index { get; set; }

    /// <summary>Queues a frame; a frame alone larger than the bound is still accepted on an empty queue.</summary>
    public EnqueueResult Enqueue(byte[] frame)
    {
        bool overflow;
        var start = false;
        lock (_gate)
        {
            if (_closeRequest is not null)
            {
                return EnqueueResult.Closed;
            }

            overflow = _queuedBytes != 0 && _queuedBytes + frame.Length > _maxQueuedBytes;
            if (!overflow)
            {
                if (_pending is null)
                {
                    _pending = _spare ?? new List<byte[]>(4);
                    _spare = null;
                }

                _pending.Add(frame);
                _queuedBytes += frame.Length;
                start = TryStartLocked();
            }
        }

        if (overflow)
        {
            Close(CloseCodes.SlowConsumer, "slow consumer: reconnect with your last cursor");
            return EnqueueResult.Overflowed;
        }

        if (start)
        {
            Schedule();
        }

        return EnqueueResult.Queued;
    }

    /// <summary>Starts writing to <paramref name="sink"/>: what was queued before is sent first.</summary>
    public void Attach(IFrameSink sink, SendCounters sent)
    {
        bool start;
        lock (_gate)
        {
            _sink = sink;
            _sent = sent;
            start = TryStartLocked();
        }

        if (start)
        {
            Schedule();
        }
    }

    public void Close(int code, string reason)
    {
        lock (_gate)
        {
            if (_closeRequest is not null)
            {
                return;
            }

            Volatile.Write(ref _closeRequest, new CloseReason(code, reason));
            // Drop what a closed socket will never send; a batch being written keeps its bytes counted until it ends.
            if (_pending is { } pending)
            {
                foreach (var frame in pending)
                {
                    _queuedBytes -= frame.Length;
                }

                _pending = null;
            }
        }

        _closed.TrySetResult();
    }

    /// <summary>
    /// Registration prepares the first frames (connected, then a snapshot or the missed diffs) outside the hub's lock:
    /// while held, live frames queue behind them but are not written.
    /// </summary>
    internal void Hold()
    {
        lock (_gate)
        {
            _held = true;
        }
    }

    /// <summary>Puts <paramref name="first"/> ahead of every frame queued while held and lets the writer run.</summary>
    internal void Release(List<byte[]> first)
    {
        bool start;
        lock (_gate)
        {
            _held = false;
            if (_closeRequest is not null)
            {
                return;
            }

            foreach (var frame in first)
            {
                _queuedBytes += frame.Length;
            }

            if (_pending is { Count: > 0 } live)
            {
                first.AddRange(live);
            }

            _pending = first;
            start = TryStartLocked();
        }

        if (start)
        {
            Schedule();
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = WriteAllAsync();

    private bool TryStartLocked()
    {
        if (_busy || _held || _sink is null || _pending is not { Count: > 0 })
        {
            return false;
        }

        _busy = true;
        return true;
    }

    private void Schedule() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    private async Task WriteAllAsync()
    {
        while (true)
        {
            List<byte[]> batch;
            IFrameSink sink;
            lock (_gate)
            {
                if (_closeRequest is not null || _pending is not { Count: > 0 })
                {
                    _busy = false;
                    return;
                }

                batch = _pending;
                _pending = null;
                sink = _sink!;
            }

            long bytes = 0;
            foreach (var frame in batch)
            {
                bytes += frame.Length;
            }

            try
            {
                await sink.WriteAsync(batch, bytes, this, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or WebSocketException or InvalidOperationException)
            {
                Close(CloseCodes.ShuttingDown, "connection ended");
                lock (_gate)
                {
                    _queuedBytes -= bytes;
                    _busy = false;
                }

                return;
            }

            _sent.Record(batch.Count, bytes - HeaderBytes(batch));
            lock (_gate)
            {
                _queuedBytes -= bytes;
                if (batch.Capacity <= MaxKeptListCapacity)
                {
                    batch.Clear();
                    _spare = batch;
                }
            }
        }
    }

    private static long HeaderBytes(List<byte[]> frames)
    {
        long total = 0;
        foreach (var frame in frames)
        {
            total += frame.Length - WebSocketFrame.Payload(frame).Length;
        }

        return total;
    }
}

public enum EnqueueResult
{
    Queued,
    Closed,
    Overflowed,
}
