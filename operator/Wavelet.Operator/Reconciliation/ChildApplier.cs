using System.Text.Json.Nodes;
using Wavelet.Api.Meta;
using Wavelet.Api.Serialization;
using Wavelet.Operator.Kubernetes;

namespace Wavelet.Operator.Reconciliation;

/// <summary>
/// Server-side applies a child (field manager wavelet-operator, force) only when the live object differs from the intent.
/// The live object comes from the informer cache when the controller runs one (a stale cache costs one idempotent apply).
/// </summary>
public sealed class ChildApplier(IKubernetes client, InformerCache? cache = null)
{
    public const string FieldManager = "wavelet-operator";

    /// <summary>Number of apply requests sent (for logs and tests).</summary>
    public int Applies { get; private set; }

    public async Task<T> ApplyAsync<T>(ResourceType type, T desired, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resource = client.Resource<T>(type);
        var actual = await GetAsync<T>(type, desired.Metadata.NamespaceProperty, desired.Metadata.Name!, ct);
        if (actual is not null && JsonSubset.Contains(ToNode(actual), ToNode(desired)))
        {
            return actual;
        }

        Applies++;
        return await resource.ApplyAsync(desired, FieldManager, force: true, ct);
    }

    /// <summary>Deletes a child the spec no longer asks for (a disabled PDB or HPA), if it exists.</summary>
    public async Task DeleteIfPresentAsync<T>(ResourceType type, string? ns, string name, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resource = client.Resource<T>(type);
        if (await GetAsync<T>(type, ns, name, ct) is not null)
        {
            await resource.DeleteAsync(ns, name, cancellationToken: ct);
        }
    }

    private Task<T?> GetAsync<T>(ResourceType type, string? ns, string name, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        cache is null ? client.Resource<T>(type).GetAsync(ns, name, ct) : cache.GetAsync<T>(client, type, ns, name, ct);

    private static JsonNode? ToNode<T>(T value) => JsonNode.Parse(KubernetesJson.Serialize(value));
}
