using System.Threading.Channels;
using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Fanout;

/// <summary>
/// One WebSocket's outgoing queue, bounded in bytes. Enqueue never blocks the feed: a subscriber whose queue would pass
/// its bound is closed as a slow consumer (its queued messages are dropped; it resumes by cursor).
/// </summary>
public sealed class Subscriber
{
    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = false });
    private readonly long _maxQueuedBytes;
    private long _queuedBytes;
    private int _closed;

    public Subscriber(Partitions partitions, long maxQueuedBytes)
    {
        Partitions = partitions;
        _maxQueuedBytes = maxQueuedBytes;
    }

    public Partitions Partitions { get; }

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Set once the subscriber must be closed; the socket loop closes with it.</summary>
    public (int Code, string Reason)? CloseRequest { get; private set; }

    public bool IsClosed => Volatile.Read(ref _closed) == 1;

    public ChannelReader<byte[]> Reader => _queue.Reader;

    /// <summary>Queues a message; a message alone larger than the bound is still accepted on an empty queue.</summary>
    public EnqueueResult Enqueue(byte[] message)
    {
        if (IsClosed)
        {
            return EnqueueResult.Closed;
        }

        var after = Interlocked.Add(ref _queuedBytes, message.Length);
        if (after > _maxQueuedBytes && after != message.Length)
        {
            Close(CloseCodes.SlowConsumer, "slow consumer: reconnect with your last cursor");
            return EnqueueResult.Overflowed;
        }

        return _queue.Writer.TryWrite(message) ? EnqueueResult.Queued : EnqueueResult.Closed;
    }

    public void Sent(byte[] message) => Interlocked.Add(ref _queuedBytes, -message.Length);

    public void Close(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        CloseRequest = (code, reason);
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out _))
        {
            // drop what a closed socket will never send
        }
    }
}

public enum EnqueueResult
{
    Queued,
    Closed,
    Overflowed,
}
