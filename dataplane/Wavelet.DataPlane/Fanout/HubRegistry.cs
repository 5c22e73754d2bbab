using System.Collections.Concurrent;

namespace Wavelet.DataPlane.Fanout;

/// <summary>The live queries' hubs by name; through them, every open subscriber (each is registered in its hub only).</summary>
public sealed class HubRegistry
{
    private readonly ConcurrentDictionary<string, QueryHub> _hubs = new(StringComparer.Ordinal);

    public QueryHub? Find(string name) => _hubs.TryGetValue(name, out var hub) ? hub : null;

    public IReadOnlyCollection<QueryHub> All => _hubs.Values.ToList();

    public void Set(QueryHub hub) => _hubs[hub.Name] = hub;

    public QueryHub? Remove(string name) => _hubs.TryRemove(name, out var hub) ? hub : null;

    /// <summary>Open subscribers over every live query.</summary>
    public int SubscriberCount => _hubs.Values.Sum(h => h.SubscriberCount);

    /// <summary>Closes every subscriber of every live query (drain, changed JWT settings); later registrations are served.</summary>
    public void CloseAll(int code, string reason)
    {
        foreach (var hub in _hubs.Values)
        {
            hub.CloseAll(code, reason);
        }
    }
}
