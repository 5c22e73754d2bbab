using k8s;

namespace Wavelet.Operator.Tests.Kubernetes;

/// <summary>
/// What tests do to objects as a user would (create, read, replace, delete, list), through KubernetesClient's generic
/// object API, for any model with a [KubernetesEntity].
/// </summary>
public sealed class TestObjects<T>(IKubernetes client)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly ResourceKind Kind = ResourceKind.Of(typeof(T));
    private readonly ResourceApi<T> _api = new(client);

    public Task<T> CreateAsync(T obj)
    {
        obj.ApiVersion ??= Kind.ApiVersion;
        obj.Kind ??= Kind.Kind;
        return client.CustomObjects.CreateNamespacedCustomObjectAsync<T>(obj, Kind.Group, Kind.Version, obj.Namespace(), Kind.Plural);
    }

    public Task<T?> GetAsync(string ns, string name) => _api.GetAsync(ns, name, CancellationToken.None);

    /// <summary>PUT with the object's resourceVersion (409 when it is stale).</summary>
    public Task<T> ReplaceAsync(T obj) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectAsync<T>(obj, Kind.Group, Kind.Version, obj.Namespace(), Kind.Plural, obj.Name());

    public Task<bool> DeleteAsync(string ns, string name) => _api.DeleteAsync(ns, name, CancellationToken.None);

    public async Task<IList<T>> ListAsync(string ns) => (await _api.ListAsync(ns, null, null, null, CancellationToken.None)).Items;

    public Task<T> MergePatchAsync(string ns, string name, object patch) => _api.MergePatchAsync(ns, name, patch, CancellationToken.None);
}
