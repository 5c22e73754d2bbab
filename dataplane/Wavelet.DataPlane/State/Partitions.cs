namespace Wavelet.DataPlane.State;

/// <summary>
/// Which partitions of a query a caller may see: all (unfiltered query) or a set of filter values from its claim.
/// An empty set sees nothing. Callers with the same set form one cohort and share every serialised message.
/// </summary>
public sealed class Partitions
{
    public static readonly Partitions All = new(null);
    public static readonly Partitions None = new([]);

    private Partitions(string[]? keys)
    {
        Keys = keys;
        CohortKey = keys is null ? "*" : "=" + string.Join('\u001f', keys);
    }

    /// <summary>Null means every partition.</summary>
    public string[]? Keys { get; }

    public string CohortKey { get; }

    public static Partitions Of(IEnumerable<string> keys)
    {
        var sorted = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return sorted.Length == 0 ? None : new Partitions(sorted);
    }

    public bool Includes(string partitionKey) => Keys is null || Array.BinarySearch(Keys, partitionKey, StringComparer.Ordinal) >= 0;
}
