namespace Wavelet.DataPlane.State;

/// <summary>
/// The most recent epochs since the last snapshot, bounded by count, for cursor resume.
/// A cursor is covered when every epoch after it is still here.
/// </summary>
public sealed class EpochRing
{
    private readonly Queue<SplitEpoch> _epochs = new();
    private readonly int _capacity;
    private long? _floor;

    public EpochRing(int capacity) => _capacity = capacity;

    public int Count => _epochs.Count;

    public long? Newest { get; private set; }

    public void Clear()
    {
        _epochs.Clear();
        _floor = null;
        Newest = null;
    }

    public void Add(SplitEpoch epoch)
    {
        if (_capacity == 0)
        {
            _floor = epoch.Timestamp;
            Newest = epoch.Timestamp;
            return;
        }

        // Only epochs seen since the last snapshot count: an older cursor may predate that snapshot's unknown epoch.
        _floor ??= epoch.Timestamp;
        _epochs.Enqueue(epoch);
        Newest = epoch.Timestamp;
        while (_epochs.Count > _capacity)
        {
            _floor = _epochs.Dequeue().Timestamp;
        }
    }

    /// <summary>The epochs after <paramref name="cursor"/>, or null when the ring cannot prove it has all of them.</summary>
    public IReadOnlyList<SplitEpoch>? After(long cursor)
    {
        if (_floor is not { } floor || Newest is not { } newest || cursor < floor || cursor > newest)
        {
            return null;
        }

        return _epochs.Where(e => e.Timestamp > cursor).ToList();
    }
}
