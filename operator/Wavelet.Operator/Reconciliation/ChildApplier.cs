using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Wavelet.Api;
using Wavelet.Operator.Kubernetes;
using Wavelet.Operator.Kubernetes.Watch;

namespace Wavelet.Operator.Reconciliation;

/// <summary>
/// Server-side applies a child (field manager wavelet-operator, force) only when the live object differs from the intent.
/// The live object comes from the informer cache when the controller runs one (a stale cache costs one idempotent apply).
/// </summary>
public sealed class ChildApplier(IKubernetes client, InformerCache? cache = null)
{
    public const string FieldManager = "wavelet-operator";

    public async Task<T> ApplyAsync<T>(T desired, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(desired);
        var actual = await GetAsync<T>(desired.Namespace(), desired.Name(), ct);
        if (actual is not null && JsonSubset.Contains(ToNode(actual), ToNode(desired)))
        {
            return actual;
        }

        return await new ResourceApi<T>(client).ApplyAsync(desired, FieldManager, force: true, ct);
    }

    /// <summary>
    /// Deletes a child the spec no longer asks for (a disabled PDB or HPA), if it exists and the project controls it:
    /// an object of that name someone else made is left alone. True when a delete was sent.
    /// </summary>
    public async Task<bool> DeleteIfOwnedAsync<T>(string ns, string name, string ownerUid, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var live = await GetAsync<T>(ns, name, ct);
        if (live?.GetController() is not { Kind: WaveletGroup.Kind } controller || controller.Uid != ownerUid || string.IsNullOrEmpty(ownerUid))
        {
            return false;
        }

        return await new ResourceApi<T>(client).DeleteAsync(ns, name, ct);
    }

    private Task<T?> GetAsync<T>(string ns, string name, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        cache is null ? new ResourceApi<T>(client).GetAsync(ns, name, ct) : cache.GetAsync<T>(client, ns, name, ct);

    private static JsonNode? ToNode<T>(T value) => JsonNode.Parse(KubernetesJson.Serialize(value));
}
