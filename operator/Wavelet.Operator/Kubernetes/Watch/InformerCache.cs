using System.Collections.Concurrent;
using Wavelet.Api.Meta;

namespace Wavelet.Operator.Kubernetes;

/// <summary>
/// Serves reconcile reads of Secrets and children from the controller's synced informers instead of the API server, so a
/// resync of an unchanged project costs one GET (the project itself, read fresh for its resourceVersion) instead of seven.
/// The controller registers its informers while it runs and clears them when it stops; any read the cache cannot answer
/// (no informer for that type and namespace, or not synced yet) goes to the API server.
/// </summary>
public sealed class InformerCache
{
    private readonly ConcurrentDictionary<(ResourceType Type, string? Namespace), object> _informers = new();

    public void Register<T>(ResourceType type, string? ns, Informer<T> informer)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        _informers[(type, ns)] = informer;

    public void Clear() => _informers.Clear();

    /// <summary>The cached object (null when the synced cache does not hold it), or the API server's answer.</summary>
    public async Task<T?> GetAsync<T>(IKubernetes client, ResourceType type, string? ns, string name, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(client);
        if ((_informers.GetValueOrDefault((type, ns)) ?? _informers.GetValueOrDefault((type, null))) is Informer<T> { HasSynced: true } informer)
        {
            return informer.TryGet(ns, name);
        }

        return await client.Resource<T>(type).GetAsync(ns, name, ct);
    }
}
