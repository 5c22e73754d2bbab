using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Wavelet.Operator.Kubernetes;

/// <summary>
/// One kind of object, found by the <see cref="KubernetesEntityAttribute"/> its model carries, through KubernetesClient's
/// generic object API (the path GenericClient uses; it serves built-in kinds as well as custom resources). It adds what
/// the informer and the applier need and GenericClient lacks: list paging, watch from a resourceVersion with bookmarks
/// and a timeout, server-side apply, and null/false for an absent object.
/// </summary>
public sealed class ResourceApi<T>(IKubernetes client)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly ResourceKind Resource = ResourceKind.Of(typeof(T));
    private static readonly string Group = Resource.Group;
    private static readonly string Version = Resource.Version;
    private static readonly string Plural = Resource.Plural;

    /// <summary>The object, or null when it does not exist.</summary>
    public async Task<T?> GetAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            return WithTypeMeta(await client.CustomObjects.GetNamespacedCustomObjectAsync<T>(Group, Version, ns, Plural, name, ct));
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>One page (all namespaces when <paramref name="ns"/> is null); items get apiVersion and kind filled in.</summary>
    public async Task<KubernetesList<T>> ListAsync(string? ns, string? labelSelector, int? limit, string? continueToken, CancellationToken ct)
    {
        var list = ns is null
            ? await client.CustomObjects.ListClusterCustomObjectAsync<KubernetesList<T>>(
                Group, Version, Plural, continueParameter: continueToken, labelSelector: labelSelector, limit: limit, cancellationToken: ct)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync<KubernetesList<T>>(
                Group, Version, ns, Plural, continueParameter: continueToken, labelSelector: labelSelector, limit: limit, cancellationToken: ct);
        foreach (var item in list.Items ?? [])
        {
            WithTypeMeta(item);
        }

        return list;
    }

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> with bookmarks. An ERROR event (a Status, e.g. 410 Expired) is not
    /// yielded: the client hands it to <paramref name="onError"/> as a <see cref="KubernetesException"/>.
    /// </summary>
    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string? ns, string? labelSelector, string? resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken ct)
    {
        var events = ns is null
            ? client.CustomObjects.WatchListClusterCustomObjectAsync(
                Group, Version, Plural, allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: ct)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                Group, Version, ns, Plural, allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: ct);
        await foreach (var (type, raw) in events.WithCancellation(ct))
        {
            // The generic watch yields each object as JSON; read it as the model with the client's own serializer.
            if (raw is JsonElement json && KubernetesJson.Deserialize<T>(json) is { } obj)
            {
                yield return (type, WithTypeMeta(obj));
            }
        }
    }

    /// <summary>
    /// Server-side apply: <paramref name="intent"/> is the complete set of fields <paramref name="fieldManager"/> owns; fields
    /// it sent before and omits now are removed. Creates the object when absent.
    /// </summary>
    public async Task<T> ApplyAsync(T intent, string fieldManager, bool force, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(intent);
        WithTypeMeta(intent);
        return WithTypeMeta(await client.CustomObjects.PatchNamespacedCustomObjectAsync<T>(
            new V1Patch(intent, V1Patch.PatchType.ApplyPatch), Group, Version, intent.Namespace(), Plural, intent.Name(),
            fieldManager: fieldManager, force: force, cancellationToken: ct));
    }

    /// <summary>JSON merge patch (RFC 7386); <paramref name="patch"/> is sent as given (a string is sent verbatim).</summary>
    public async Task<T> MergePatchAsync(string ns, string name, object patch, CancellationToken ct) =>
        WithTypeMeta(await client.CustomObjects.PatchNamespacedCustomObjectAsync<T>(
            new V1Patch(patch, V1Patch.PatchType.MergePatch), Group, Version, ns, Plural, name, cancellationToken: ct));

    /// <summary>PUT to the status subresource; the object's resourceVersion must be current (409 otherwise).</summary>
    public async Task<T> ReplaceStatusAsync(T obj, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(obj);
        WithTypeMeta(obj);
        return WithTypeMeta(await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<T>(
            obj, Group, Version, obj.Namespace(), Plural, obj.Name(), cancellationToken: ct));
    }

    /// <summary>True when deleted (or deletion started), false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, ns, Plural, name, cancellationToken: ct);
            return true;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    // List items and some answers omit apiVersion and kind; an object read must be writable back as it is.
    private static T WithTypeMeta(T obj)
    {
        if (string.IsNullOrEmpty(obj.ApiVersion))
        {
            obj.ApiVersion = Resource.ApiVersion;
        }

        if (string.IsNullOrEmpty(obj.Kind))
        {
            obj.Kind = Resource.Kind;
        }

        return obj;
    }
}
