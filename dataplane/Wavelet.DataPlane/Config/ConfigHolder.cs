using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Fanout;

namespace Wavelet.DataPlane.Config;

/// <summary>
/// The live state as one immutable snapshot: the config and the hubs of the feeds it implies. Readers take
/// <see cref="Live"/> (or <see cref="Current"/>) once per request or connection; a reload publishes config and hubs in
/// one step, so nobody sees new feeds with the old config or the reverse.
/// </summary>
public sealed class ConfigHolder
{
    private static readonly IReadOnlyDictionary<string, QueryHub> NoHubs = new Dictionary<string, QueryHub>(StringComparer.Ordinal);
    private volatile LiveState _live;
    private ConfigurationReloadToken _published = new();

    public ConfigHolder(DataPlaneConfig initial) => _live = new LiveState(initial, NoHubs);

    public DataPlaneConfig Current => _live.Config;

    public LiveState Live => _live;

    /// <summary>Fires after the next <see cref="Publish"/>: options derived from the config (JwtBearer's) are rebuilt then.</summary>
    public IChangeToken GetChangeToken() => _published;

    /// <summary>Publishes <paramref name="config"/> with the hubs serving its queries, then signals <see cref="GetChangeToken"/>.</summary>
    public void Publish(DataPlaneConfig config, IReadOnlyDictionary<string, QueryHub> hubs)
    {
        _live = new LiveState(config, hubs);
        Interlocked.Exchange(ref _published, new ConfigurationReloadToken()).OnReload();
    }
}

/// <summary>A config and the hubs of its queries, published together.</summary>
public sealed record LiveState(DataPlaneConfig Config, IReadOnlyDictionary<string, QueryHub> Hubs)
{
    public QueryHub? Hub(string name) => Hubs.TryGetValue(name, out var hub) ? hub : null;
}
