using BenchmarkDotNet.Attributes;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.Feed;
using Wavelet.DataPlane.Observability;
using Wavelet.DataPlane.State;

namespace Wavelet.Bench.Micro;

/// <summary>
/// The fan-out path alone: one operation = an epoch inserting <see cref="Rows"/> rows then an epoch deleting them (so
/// the state returns to empty), delivered to <see cref="Subscribers"/> subscribers over Subscribers/10 tenants, and every
/// queue drained. <c>DataPlane</c> is the data plane's QueryHub (partition once, serialise once per tenant cohort,
/// frame once per cohort, enqueue the same bytes, and each subscriber's writer hands its batch to a sink that only counts
/// the frames); <c>Naive</c> filters and serialises per subscriber.
/// </summary>
[MemoryDiagnoser]
public class FanoutBenchmarks
{
    private QueryHub _hub = null!;
    private List<Subscriber> _subscribers = null!;
    private NaiveFanout _naive = null!;
    private List<Change> _inserts = null!;
    private List<Change> _deletes = null!;
    private long _cursor;
    private readonly CountingSink _sink = new();

    [Params(100, 1000)]
    public int Rows { get; set; }

    [Params(1000, 10_000)]
    public int Subscribers { get; set; }

    public int Tenants => Subscribers / 10;

    [GlobalSetup]
    public void Setup()
    {
        _inserts = EpochData.Changes(Rows, Tenants, RowOp.Insert);
        _deletes = [.. _inserts.Select(c => new Change(RowOp.Delete, c.Row))];
        var tenants = Enumerable.Range(0, Subscribers).Select(i => EpochData.Tenant(i % Tenants)).ToList();
        _hub = new QueryHub("q", "tenant", resumeEpochs: 16, new DataPlaneMetrics());
        _hub.ApplySnapshot([]);
        _subscribers = [.. tenants.Select(t => new Subscriber(Partitions.Of([t]), long.MaxValue))];
        var metrics = _hub.Metrics;
        foreach (var subscriber in _subscribers)
        {
            _hub.Register(subscriber, cursor: null);
            subscriber.Attach(_sink, metrics.SendCountersOf("q"));
        }

        DrainHub();
        _naive = new NaiveFanout(tenants);
    }

    [Benchmark(Baseline = true)]
    public int Naive()
    {
        _naive.Deliver(++_cursor, _inserts);
        _naive.Deliver(++_cursor, _deletes);
        return _naive.Drain();
    }

    [Benchmark]
    public int DataPlane()
    {
        _hub.ApplyEpoch(++_cursor, _inserts);
        _hub.ApplyEpoch(++_cursor, _deletes);
        return DrainHub();
    }

    /// <summary>Waits until every subscriber's writer has handed over what was queued; returns the frames written since the last call.</summary>
    private int DrainHub()
    {
        foreach (var subscriber in _subscribers)
        {
            var spin = new SpinWait();
            while (subscriber.QueuedBytes != 0)
            {
                spin.SpinOnce();
            }
        }

        return _sink.Take();
    }

    private sealed class CountingSink : IFrameSink
    {
        private int _frames;

        public ValueTask WriteAsync(List<byte[]> frames, long bytes, Subscriber owner, CancellationToken ct)
        {
            Interlocked.Add(ref _frames, frames.Count);
            return ValueTask.CompletedTask;
        }

        public int Take() => Interlocked.Exchange(ref _frames, 0);
    }
}
