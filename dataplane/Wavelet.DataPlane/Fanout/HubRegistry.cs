using System.Collections.Concurrent;

namespace Wavelet.DataPlane.Fanout;

/// <summary>The live queries' hubs by name.</summary>
public sealed class HubRegistry
{
    private readonly ConcurrentDictionary<string, QueryHub> _hubs = new(StringComparer.Ordinal);

    public QueryHub? Find(string name) => _hubs.TryGetValue(name, out var hub) ? hub : null;

    public IReadOnlyCollection<QueryHub> All => _hubs.Values.ToList();

    public void Set(QueryHub hub) => _hubs[hub.Name] = hub;

    public QueryHub? Remove(string name) => _hubs.TryRemove(name, out var hub) ? hub : null;
}
