using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wavelet.Api.Meta;
using Wavelet.Api.Serialization;

namespace Wavelet.Operator.Kubernetes;

/// <summary>Typed access to one resource type: get, list, create, replace, merge patch, server-side apply, delete, watch.</summary>
public sealed class ResourceClient<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private const string JsonMediaType = "application/json";
    private const string MergePatchMediaType = "application/merge-patch+json";
    private const string ApplyPatchMediaType = "application/apply-patch+yaml";

    private readonly Kubernetes _client;

    internal ResourceClient(Kubernetes client, ResourceType type)
    {
        _client = client;
        Type = type;
    }

    public ResourceType Type { get; }

    /// <summary>The object, or null when it does not exist.</summary>
    public async Task<T?> GetAsync(string? ns, string name, CancellationToken cancellationToken = default)
    {
        var path = Type.ObjectPath(ns, name);
        var response = await _client.SendAsync(HttpMethod.Get, path, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return ReadObject(response, "GET", path);
    }

    /// <summary>One page of objects (all namespaces when <paramref name="ns"/> is null).</summary>
    public async Task<KubernetesList<T>> ListAsync(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder()
            .Add("labelSelector", options?.LabelSelector)
            .Add("fieldSelector", options?.FieldSelector)
            .Add("limit", options?.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("continue", options?.Continue)
            .Add("resourceVersion", options?.ResourceVersion);
        var path = Type.CollectionPath(ns) + query;
        var response = await _client.SendAsync(HttpMethod.Get, path, null, cancellationToken);
        Ensure(response, "GET", path);
        var list = Deserialize<KubernetesList<T>>(response.Body, "GET", path);
        foreach (var item in list.Items)
        {
            FillTypeMeta(item);
        }

        return list;
    }

    /// <summary>
    /// Every object, following continue tokens page by page (<paramref name="pageSize"/> each). If a continue token expires
    /// (410) the listing restarts once without paging. The result carries the first page's resourceVersion.
    /// </summary>
    public async Task<KubernetesList<T>> ListAllAsync(string? ns, ListOptions? options = null, int pageSize = 500, CancellationToken cancellationToken = default)
    {
        var pageOptions = (options ?? new ListOptions()) with { Limit = pageSize, Continue = null };
        try
        {
            var first = await ListAsync(ns, pageOptions, cancellationToken);
            var all = new KubernetesList<T> { ApiVersion = first.ApiVersion, Kind = first.Kind, Metadata = new() { ResourceVersion = first.Metadata.ResourceVersion } };
            all.Items.AddRange(first.Items);
            var next = first.Metadata.Continue;
            while (!string.IsNullOrEmpty(next))
            {
                var page = await ListAsync(ns, pageOptions with { Continue = next }, cancellationToken);
                all.Items.AddRange(page.Items);
                next = page.Metadata.Continue;
            }

            return all;
        }
        catch (KubernetesException ex) when (ex.IsGone)
        {
            _client.Logger.LogInformation("Continue token for {Type} expired; listing again in one request", Type);
            return await ListAsync(ns, pageOptions with { Limit = null, Continue = null }, cancellationToken);
        }
    }

    public Task<T> CreateAsync(T obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        FillTypeMeta(obj);
        return WriteAsync(HttpMethod.Post, Type.CollectionPath(NamespaceOf(obj)), JsonContent(obj, JsonMediaType), cancellationToken);
    }

    /// <summary>PUT: the object's resourceVersion must be current (409 Conflict otherwise).</summary>
    public Task<T> ReplaceAsync(T obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        FillTypeMeta(obj);
        return WriteAsync(HttpMethod.Put, Type.ObjectPath(NamespaceOf(obj), NameOf(obj)), JsonContent(obj, JsonMediaType), cancellationToken);
    }

    /// <summary>PUT to the status subresource: only .status changes.</summary>
    public Task<T> ReplaceStatusAsync(T obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        FillTypeMeta(obj);
        return WriteAsync(HttpMethod.Put, Type.ObjectPath(NamespaceOf(obj), NameOf(obj), "status"), JsonContent(obj, JsonMediaType), cancellationToken);
    }

    /// <summary>
    /// JSON merge patch (RFC 7386). <paramref name="patch"/> is serialised as is (a <see cref="JsonNode"/> keeps explicit
    /// nulls, which delete fields; a string is sent verbatim).
    /// </summary>
    public Task<T> PatchMergeAsync(string? ns, string name, object patch, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Patch, Type.ObjectPath(ns, name), PatchContent(patch, MergePatchMediaType), cancellationToken);

    public Task<T> PatchStatusMergeAsync(string? ns, string name, object patch, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Patch, Type.ObjectPath(ns, name, "status"), PatchContent(patch, MergePatchMediaType), cancellationToken);

    /// <summary>
    /// Server-side apply: <paramref name="obj"/> is the complete intent of <paramref name="fieldManager"/>; fields it sent
    /// before and omits now are removed. Creates the object when absent. <paramref name="force"/> takes fields other managers own.
    /// </summary>
    public Task<T> ApplyAsync(T obj, string fieldManager, bool force = true, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(obj, fieldManager, force, null, cancellationToken);

    /// <summary>Server-side apply on the status subresource (a separate managed-fields entry).</summary>
    public Task<T> ApplyStatusAsync(T obj, string fieldManager, bool force = true, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(obj, fieldManager, force, "status", cancellationToken);

    /// <summary>True when deleted (or deletion started: finalizers pending), false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = Type.ObjectPath(ns, name);
        HttpContent? body = null;
        if (options is not null)
        {
            var json = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "DeleteOptions" };
            if (options.PropagationPolicy is not null)
            {
                json["propagationPolicy"] = options.PropagationPolicy;
            }

            if (options.GracePeriodSeconds is not null)
            {
                json["gracePeriodSeconds"] = options.GracePeriodSeconds;
            }

            if (options.Preconditions is { } preconditions)
            {
                var pre = new JsonObject();
                if (preconditions.Uid is not null)
                {
                    pre["uid"] = preconditions.Uid;
                }

                if (preconditions.ResourceVersion is not null)
                {
                    pre["resourceVersion"] = preconditions.ResourceVersion;
                }

                json["preconditions"] = pre;
            }

            body = new StringContent(json.ToJsonString(), Encoding.UTF8);
            body.Headers.ContentType = new MediaTypeHeaderValue(JsonMediaType);
        }

        using (body)
        {
            var response = await _client.SendAsync(HttpMethod.Delete, path, body, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            Ensure(response, "DELETE", path);
            return true;
        }
    }

    /// <summary>
    /// Watches changes from <see cref="WatchOptions.ResourceVersion"/>. The stream is read line by line with no overall
    /// timeout and ends when the server closes it. A too-old resourceVersion arrives either as an Error event
    /// (<see cref="WatchEvent{T}.IsExpired"/>) or as a thrown <see cref="KubernetesException"/> with IsGone.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? ns, WatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var query = new QueryBuilder()
            .Add("watch", "true")
            .Add("resourceVersion", options.ResourceVersion)
            .Add("allowWatchBookmarks", options.AllowWatchBookmarks ? "true" : null)
            .Add("timeoutSeconds", options.TimeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector);
        var path = Type.CollectionPath(ns) + query;
        using var response = await _client.SendStreamingAsync(path, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var watchEvent = ParseWatchLine(line, path);
            if (watchEvent is not null)
            {
                yield return watchEvent;
            }
        }
    }

    private WatchEvent<T>? ParseWatchLine(string line, string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new KubernetesException($"Watch {path} sent a line that is not JSON: {ex.Message}", ex);
        }

        var typeText = node?["type"]?.GetValue<string>();
        var objectNode = node?["object"];
        var type = typeText switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            _ => (WatchEventType?)null,
        };
        if (type is null)
        {
            _client.Logger.LogWarning("Watch {Path}: ignoring event of unknown type {Type}", path, typeText);
            return null;
        }

        // A Status object in place of the watched kind is an error, whatever the type says.
        if (type == WatchEventType.Error || objectNode?["kind"]?.GetValue<string>() == "Status" && Type.Kind != "Status")
        {
            var status = objectNode?.Deserialize<V1Status>(KubernetesJson.Options) ?? new V1Status { Message = "watch error without a Status" };
            return new WatchEvent<T>(WatchEventType.Error, null, status);
        }

        var obj = objectNode?.Deserialize<T>(KubernetesJson.Options);
        if (obj is not null)
        {
            FillTypeMeta(obj);
        }

        return new WatchEvent<T>(type.Value, obj, null);
    }

    private async Task<T> ApplyCoreAsync(T obj, string fieldManager, bool force, string? subresource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentException.ThrowIfNullOrEmpty(fieldManager);
        FillTypeMeta(obj);
        var query = new QueryBuilder().Add("fieldManager", fieldManager).Add("force", force ? "true" : null);
        var path = Type.ObjectPath(NamespaceOf(obj), NameOf(obj), subresource) + query;
        return await WriteAsync(HttpMethod.Patch, path, JsonContent(obj, ApplyPatchMediaType), cancellationToken);
    }

    private async Task<T> WriteAsync(HttpMethod method, string path, HttpContent content, CancellationToken cancellationToken)
    {
        using (content)
        {
            var response = await _client.SendAsync(method, path, content, cancellationToken);
            return ReadObject(response, method.Method, path);
        }
    }

    private T ReadObject(ApiResponse response, string method, string path)
    {
        Ensure(response, method, path);
        var obj = Deserialize<T>(response.Body, method, path);
        FillTypeMeta(obj);
        return obj;
    }

    private static void Ensure(ApiResponse response, string method, string path)
    {
        if (!response.IsSuccess)
        {
            throw StatusParser.ToException(response.StatusCode, response.Body, response.MediaType, method, path);
        }
    }

    private static TResult Deserialize<TResult>(string body, string method, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TResult>(body, KubernetesJson.Options)
                ?? throw new KubernetesException($"{method} {path}: the server answered with an empty body.");
        }
        catch (JsonException ex)
        {
            throw new KubernetesException($"{method} {path}: cannot read the answer as {typeof(TResult).Name}: {ex.Message}", ex);
        }
    }

    // List items and some answers omit apiVersion/kind; fill them so objects can be written back as they are.
    private void FillTypeMeta(T obj)
    {
        if (string.IsNullOrEmpty(obj.ApiVersion))
        {
            obj.ApiVersion = Type.ApiVersion;
        }

        if (string.IsNullOrEmpty(obj.Kind))
        {
            obj.Kind = Type.Kind;
        }
    }

    private string? NamespaceOf(T obj)
    {
        var ns = obj.Metadata?.NamespaceProperty;
        if (Type.Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"{Type.Kind} '{obj.Metadata?.Name}' is namespaced: set metadata.namespace.", nameof(obj));
        }

        return Type.Namespaced ? ns : null;
    }

    private static string NameOf(T obj) =>
        obj.Metadata?.Name is { Length: > 0 } name ? name : throw new ArgumentException("metadata.name is required for this request.", nameof(obj));

    private static ByteArrayContent JsonContent(T obj, string mediaType)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(obj, KubernetesJson.Options));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static ByteArrayContent PatchContent(object patch, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var bytes = patch switch
        {
            string text => Encoding.UTF8.GetBytes(text),
            JsonNode node => Encoding.UTF8.GetBytes(node.ToJsonString()),
            _ => JsonSerializer.SerializeToUtf8Bytes(patch, patch.GetType(), KubernetesJson.Options),
        };
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }
}
