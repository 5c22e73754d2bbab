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
/// enqueue the same bytes); <c>Naive</c> filters and serialises per subscriber.
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
        foreach (var subscriber in _subscribers)
        {
            _hub.Register(subscriber, cursor: null);
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

    private int DrainHub()
    {
        var drained = 0;
        foreach (var subscriber in _subscribers)
        {
            while (subscriber.Reader.TryRead(out var message))
            {
                subscriber.Sent(message);
                drained++;
            }
        }

        return drained;
    }
}
