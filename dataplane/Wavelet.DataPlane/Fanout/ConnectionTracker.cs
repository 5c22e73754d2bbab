using System.Collections.Concurrent;

namespace Wavelet.DataPlane.Fanout;

/// <summary>Open WebSocket subscribers by query, for metrics, drain and auth re-checks.</summary>
public sealed class ConnectionTracker
{
    private readonly ConcurrentDictionary<Subscriber, string> _open = new();

    public void Add(string query, Subscriber subscriber) => _open[subscriber] = query;

    public void Remove(string query, Subscriber subscriber) => _open.TryRemove(subscriber, out _);

    public int Count => _open.Count;

    public IEnumerable<(string Query, int Count)> CountByQuery() =>
        _open.Values.GroupBy(q => q, StringComparer.Ordinal).Select(g => (g.Key, g.Count()));

    public void CloseAll(int code, string reason)
    {
        foreach (var subscriber in _open.Keys)
        {
            subscriber.Close(code, reason);
        }
    }
}
