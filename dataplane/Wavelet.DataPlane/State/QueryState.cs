using Wavelet.DataPlane.Feed;

namespace Wavelet.DataPlane.State;

/// <summary>The MV's current rows as a multiset, partitioned by the filter column's value (one partition when unfiltered).</summary>
public sealed class QueryState
{
    /// <summary>Partition of rows whose filter value is NULL: no claim value maps to it.</summary>
    public const string NullPartition = "\0null";

    private readonly string? _filterBy;
    private readonly Dictionary<string, Dictionary<string, (Row Row, int Count)>> _partitions = new(StringComparer.Ordinal);

    public QueryState(string? filterBy) => _filterBy = filterBy;

    public string PartitionOf(Row row) => _filterBy is null ? "" : Row.KeyOf(row[_filterBy]) ?? NullPartition;

    public void Reset(IEnumerable<Row> rows)
    {
        _partitions.Clear();
        foreach (var row in rows)
        {
            Add(row);
        }
    }

    public void Apply(Change change)
    {
        if (change.Op.Adds())
        {
            Add(change.Row);
        }
        else
        {
            Remove(change.Row);
        }
    }

    public List<Row> Rows(Partitions visible)
    {
        var rows = new List<Row>();
        if (visible.Keys is null)
        {
            foreach (var partition in _partitions.Values)
            {
                AppendAll(partition, rows);
            }
        }
        else
        {
            foreach (var key in visible.Keys)
            {
                if (_partitions.TryGetValue(key, out var partition))
                {
                    AppendAll(partition, rows);
                }
            }
        }

        return rows;
    }

    private static void AppendAll(Dictionary<string, (Row Row, int Count)> partition, List<Row> rows)
    {
        foreach (var (row, count) in partition.Values)
        {
            for (var i = 0; i < count; i++)
            {
                rows.Add(row);
            }
        }
    }

    private void Add(Row row)
    {
        var key = PartitionOf(row);
        if (!_partitions.TryGetValue(key, out var partition))
        {
            partition = new Dictionary<string, (Row, int)>(StringComparer.Ordinal);
            _partitions[key] = partition;
        }

        partition[row.Identity] = partition.TryGetValue(row.Identity, out var existing) ? (existing.Row, existing.Count + 1) : (row, 1);
    }

    private void Remove(Row row)
    {
        var key = PartitionOf(row);
        if (!_partitions.TryGetValue(key, out var partition) || !partition.TryGetValue(row.Identity, out var existing))
        {
            return; // a delete of a row we never had: nothing to remove (the diff is still forwarded)
        }

        if (existing.Count == 1)
        {
            partition.Remove(row.Identity);
            if (partition.Count == 0)
            {
                _partitions.Remove(key);
            }
        }
        else
        {
            partition[row.Identity] = (existing.Row, existing.Count - 1);
        }

    }
}
