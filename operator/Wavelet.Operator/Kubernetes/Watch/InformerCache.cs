using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace Wavelet.Operator.Kubernetes.Watch;

/// <summary>
/// Serves reconcile reads of children from the controller's synced informers instead of the API server, so a resync of
/// an unchanged project costs one GET (the project itself, read fresh for its resourceVersion) instead of six. The
/// controller registers its informers while it runs and clears them when it stops; any read the cache cannot answer (no
/// informer for that kind and namespace, or not synced yet) goes to the API server.
/// </summary>
public sealed class InformerCache
{
    private readonly ConcurrentDictionary<(Type Kind, string? Namespace), object> _informers = new();

    public void Register<T>(string? ns, Informer<T> informer)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        _informers[(typeof(T), ns)] = informer;

    public void Clear() => _informers.Clear();

    /// <summary>The cached object (null when the synced cache does not hold it), or the API server's answer.</summary>
    public async Task<T?> GetAsync<T>(IKubernetes client, string ns, string name, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if ((_informers.GetValueOrDefault((typeof(T), ns)) ?? _informers.GetValueOrDefault((typeof(T), null))) is Informer<T> { HasSynced: true } informer)
        {
            return informer.TryGet(ns, name);
        }

        return await new ResourceApi<T>(client).GetAsync(ns, name, ct);
    }
}
