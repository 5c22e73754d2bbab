using Wavelet.DataPlane.Feed;

namespace Wavelet.DataPlane.State;

/// <summary>One epoch's changes split by partition once, kept in the resume ring.</summary>
public sealed class SplitEpoch
{
    public SplitEpoch(long timestamp, IReadOnlyList<Change> all, Dictionary<string, List<Change>> byPartition)
    {
        Timestamp = timestamp;
        All = all;
        ByPartition = byPartition;
    }

    public long Timestamp { get; }

    public IReadOnlyList<Change> All { get; }

    public Dictionary<string, List<Change>> ByPartition { get; }

    public IEnumerable<Change> For(Partitions visible)
    {
        if (visible.Keys is null)
        {
            return All;
        }

        if (visible.Keys.Length == 1)
        {
            return ByPartition.TryGetValue(visible.Keys[0], out var only) ? only : [];
        }

        return visible.Keys.SelectMany(k => ByPartition.TryGetValue(k, out var part) ? part : []);
    }
}
