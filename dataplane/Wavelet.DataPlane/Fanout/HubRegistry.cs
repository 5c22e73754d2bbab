using Wavelet.DataPlane.Config;

namespace Wavelet.DataPlane.Fanout;

/// <summary>
/// The live queries' hubs (as published with the config in <see cref="ConfigHolder.Live"/>); through them, every open
/// subscriber (each is registered in its hub only).
/// </summary>
public sealed class HubRegistry
{
    private readonly ConfigHolder _holder;

    public HubRegistry(ConfigHolder holder) => _holder = holder;

    public QueryHub? Find(string name) => _holder.Live.Hub(name);

    public IReadOnlyCollection<QueryHub> All => [.. _holder.Live.Hubs.Values];

    /// <summary>Open subscribers over every live query.</summary>
    public int SubscriberCount => _holder.Live.Hubs.Values.Sum(h => h.SubscriberCount);

    /// <summary>Closes every subscriber of every live query (drain, changed JWT settings); later registrations are served.</summary>
    public void CloseAll(int code, string reason)
    {
        foreach (var hub in _holder.Live.Hubs.Values)
        {
            hub.CloseAll(code, reason);
        }
    }
}
