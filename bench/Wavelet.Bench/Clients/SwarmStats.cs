using Wavelet.Bench.Measure;

namespace Wavelet.Bench.Clients;

/// <summary>Counters shared by every client of a swarm (interlocked: one per receive loop, no lock).</summary>
public sealed class SwarmStats
{
    /// <summary>The data plane's close code for a slow consumer (docs/protocol.md).</summary>
    public const int SlowConsumerCloseCode = 4002;

    private long _connected;
    private long _snapshots;
    private long _diffs;
    private long _rows;
    private long _slowConsumerCloses;
    private long _otherCloses;
    private long _errors;

    /// <summary>Write timestamp in the row → client received the message.</summary>
    public LatencyHistogram WriteToClient { get; } = new();

    /// <summary>Epoch (the diff's cursor, RisingWave's rw_timestamp in ms) → client: the part the data plane adds, plus the simulator's FETCH.</summary>
    public LatencyHistogram EpochToClient { get; } = new();

    public long Connected => Interlocked.Read(ref _connected);

    public long Snapshots => Interlocked.Read(ref _snapshots);

    public long Diffs => Interlocked.Read(ref _diffs);

    public long Rows => Interlocked.Read(ref _rows);

    public long SlowConsumerCloses => Interlocked.Read(ref _slowConsumerCloses);

    public long OtherCloses => Interlocked.Read(ref _otherCloses);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Messages that carry data (snapshots and diffs).</summary>
    public long DataMessages => Snapshots + Diffs;

    internal void OnConnected() => Interlocked.Increment(ref _connected);

    internal void OnSnapshot(int rows)
    {
        Interlocked.Increment(ref _snapshots);
        Interlocked.Add(ref _rows, rows);
    }

    internal void OnDiff(int rows)
    {
        Interlocked.Increment(ref _diffs);
        Interlocked.Add(ref _rows, rows);
    }

    internal void OnServerClose(int? code)
    {
        if (code == SlowConsumerCloseCode)
        {
            Interlocked.Increment(ref _slowConsumerCloses);
        }
        else
        {
            Interlocked.Increment(ref _otherCloses);
        }
    }

    internal void OnError() => Interlocked.Increment(ref _errors);

    public void ResetLatency()
    {
        WriteToClient.Reset();
        EpochToClient.Reset();
    }
}
