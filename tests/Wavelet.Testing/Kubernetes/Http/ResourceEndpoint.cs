using Wavelet.Testing.Kubernetes.Tables;

namespace Wavelet.Testing.Kubernetes.Http;

/// <summary>The REST verbs on resource paths: get, list (as a list or a Table), watch, create, update, patch, apply, delete.</summary>
internal sealed class ResourceEndpoint(FakeKubernetesStore store, Func<TimeSpan> bookmarkInterval)
{
    public const string StreamingKey = "wavelet.fake.streaming";

    /// <summary>Called when a watch stream is open (the request now waits for events, not for an answer).</summary>
    public event Action? StreamOpened;

    public async Task HandleAsync(HttpContext context, FakeApiPath path)
    {
        var request = context.Request;
        var accept = request.Headers.Accept.ToString();
        switch (request.Method)
        {
            case "GET" when path.Name is null && IsTrue(Param(request, "watch")):
                await WatchAsync(context, path);
                return;
            case "GET" when path.Name is null:
                var list = store.List(path, new ListOptions(
                    Param(request, "labelSelector"), Param(request, "fieldSelector"), IntParam(request, "limit"), Param(request, "continue"),
                    Param(request, "resourceVersion"), Param(request, "resourceVersionMatch")));
                await Responses.WriteJsonAsync(context, 200, MediaTypes.WantsTable(accept) ? Table(list.Type, list.Items, list.ResourceVersion, list.Continue, request) : ListObject(path, list));
                return;
            case "GET":
                var obj = store.Get(path);
                await Responses.WriteJsonAsync(context, 200, MediaTypes.WantsTable(accept) ? Table(store.Type(path), [obj], null, null, request) : obj);
                return;
            case "POST":
                var created = store.Create(path, RequestBody.DecodeObject(await RequestBody.ReadAsync(request), RequestBody.MediaType(request)), WriteOptions(context));
                await Responses.WriteJsonAsync(context, 201, created.Object, created.Warnings);
                return;
            case "PUT" when path.Subresource == "scale":
                var scaled = store.WriteScale(path, null, RequestBody.DecodeObject(await RequestBody.ReadAsync(request), RequestBody.MediaType(request)), WriteOptions(context));
                await Responses.WriteJsonAsync(context, 200, scaled.Object, scaled.Warnings);
                return;
            case "PATCH" when path.Subresource == "scale":
                var patchedScale = store.WriteScale(path, RequestBody.MediaType(request), RequestBody.Decode(await RequestBody.ReadAsync(request), RequestBody.MediaType(request)) ?? new JsonObject(), WriteOptions(context));
                await Responses.WriteJsonAsync(context, 200, patchedScale.Object, patchedScale.Warnings);
                return;
            case "PUT":
                var replaced = store.Replace(path, RequestBody.DecodeObject(await RequestBody.ReadAsync(request), RequestBody.MediaType(request)), WriteOptions(context));
                await Responses.WriteJsonAsync(context, 200, replaced.Object, replaced.Warnings);
                return;
            case "PATCH":
                await PatchAsync(context, path);
                return;
            case "DELETE":
                var body = RequestBody.Decode(await RequestBody.ReadAsync(request), RequestBody.MediaType(request)) as JsonObject ?? new JsonObject();
                var deleted = store.Delete(path, new Store.DeleteOptions(
                    body["propagationPolicy"]?.GetValue<string>() ?? Param(request, "propagationPolicy") ?? (body["orphanDependents"]?.GetValue<bool>() == true || Param(request, "orphanDependents") == "true" ? "Orphan" : null),
                    body["preconditions"]?["uid"]?.GetValue<string>(),
                    body["preconditions"]?["resourceVersion"]?.GetValue<string>(),
                    DryRun(body["dryRun"] is JsonArray dryRun ? dryRun.Select(d => d?.GetValue<string>()).FirstOrDefault() : Param(request, "dryRun"))));
                await Responses.WriteJsonAsync(context, 200, deleted);
                return;
            default:
                throw new FakeApiError(405, "MethodNotAllowed", $"method {request.Method} is not supported");
        }
    }

    private async Task PatchAsync(HttpContext context, FakeApiPath path)
    {
        var mediaType = RequestBody.MediaType(context.Request);
        var body = await RequestBody.ReadAsync(context.Request);
        var type = store.Type(path);
        var options = WriteOptions(context);
        switch (mediaType)
        {
            case "application/apply-patch+yaml":
                if (string.IsNullOrEmpty(Param(context.Request, "fieldManager")))
                {
                    throw FakeApiError.BadRequest("PATCH, application/apply-patch+yaml requests require the fieldManager parameter");
                }

                var applied = store.Apply(path, RequestBody.DecodeObject(body, mediaType), options with { Force = IsTrue(Param(context.Request, "force")) });
                await Responses.WriteJsonAsync(context, applied.Created ? 201 : 200, applied.Object, applied.Warnings);
                return;
            case "application/strategic-merge-patch+json" when type.IsCustom:
                throw new FakeApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
            default:
                if (Param(context.Request, "force") is not null)
                {
                    throw FakeApiError.BadRequest("force must be unset for non-apply patch requests");
                }

                var patch = RequestBody.Decode(body, mediaType) ?? throw FakeApiError.BadRequest("the patch is empty");
                var patched = store.Patch(path, mediaType, patch, options);
                await Responses.WriteJsonAsync(context, 200, patched.Object, patched.Warnings);
                return;
        }
    }

    private async Task WatchAsync(HttpContext context, FakeApiPath path)
    {
        var request = context.Request;
        var bookmarks = IsTrue(Param(request, "allowWatchBookmarks"));
        var sendInitialEvents = IsTrue(Param(request, "sendInitialEvents"));
        if (sendInitialEvents && (!bookmarks || Param(request, "resourceVersionMatch") != "NotOlderThan"))
        {
            throw FakeApiError.Invalid(store.Type(path), "", "sendInitialEvents", "Forbidden: sendInitialEvents requires setting allowWatchBookmarks=true and resourceVersionMatch=NotOlderThan");
        }

        var watcher = store.OpenWatch(path, Param(request, "resourceVersion"), Param(request, "labelSelector"), Param(request, "fieldSelector"), bookmarks, out var gone, sendInitialEvents)
            ?? throw gone!;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (IntParam(request, "timeoutSeconds") is { } seconds)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        await response.StartAsync(context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        context.Items[StreamingKey] = true;
        StreamOpened?.Invoke();

        // Bookmarks come periodically, as kube-apiserver sends them, to watches that allow them.
        var interval = bookmarkInterval();
        using var ticker = bookmarks ? store.Time.CreateTimer(_ => store.SendBookmark(watcher), null, interval, interval) : null;
        try
        {
            await foreach (var line in watcher.Lines.Reader.ReadAllAsync(timeout.Token))
            {
                await response.WriteAsync(line + "\n", timeout.Token);
                await response.Body.FlushAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds elapsed or the client left: end the stream normally
        }
        finally
        {
            store.CloseWatch(watcher);
        }
    }

    private JsonObject Table(Resources.ResourceType type, IReadOnlyList<JsonObject> items, string? resourceVersion, string? continueToken, HttpRequest request) =>
        TableConverter.Convert(type, items, resourceVersion, continueToken, Param(request, "includeObject") ?? "Metadata", store.Time.GetUtcNow());

    private static JsonObject ListObject(FakeApiPath path, ListResult list)
    {
        var items = new JsonArray();
        foreach (var item in list.Items)
        {
            if (!list.Type.IsCustom)
            {
                // like the real API server, items of built-in lists carry no apiVersion/kind
                item.Remove("apiVersion");
                item.Remove("kind");
            }

            items.Add(item);
        }

        var metadata = new JsonObject { ["resourceVersion"] = list.ResourceVersion };
        if (list.Continue is not null)
        {
            metadata["continue"] = list.Continue;
            metadata["remainingItemCount"] = list.RemainingItemCount;
        }

        return new JsonObject
        {
            ["apiVersion"] = path.ApiVersion,
            ["kind"] = (list.Type.Kind.Length > 0 ? list.Type.Kind : "Unknown") + "List",
            ["metadata"] = metadata,
            ["items"] = items,
        };
    }

    private static Store.WriteOptions WriteOptions(HttpContext context)
    {
        var request = context.Request;
        var manager = Param(request, "fieldManager");
        if (string.IsNullOrEmpty(manager))
        {
            // kube-apiserver names an unnamed writer after its user agent's program name
            var agent = request.Headers.UserAgent.ToString();
            manager = agent.Length == 0 ? "unknown" : agent.Split('/')[0];
        }

        if (manager.Length > 128)
        {
            throw FakeApiError.BadRequest($"fieldManager: Too long: must have at most 128 bytes");
        }

        var validation = Param(request, "fieldValidation") ?? "Warn";
        if (validation is not ("Strict" or "Warn" or "Ignore"))
        {
            throw FakeApiError.BadRequest($"fieldValidation must be one of Strict, Warn or Ignore, not \"{validation}\"");
        }

        return new Store.WriteOptions(DryRun(Param(request, "dryRun")), manager, validation);
    }

    private static bool DryRun(string? value) => value switch
    {
        null or "" => false,
        "All" => true,
        _ => throw FakeApiError.BadRequest($"dryRun: Unsupported value: \"{value}\": supported values: \"All\""),
    };

    private static string? Param(HttpRequest request, string name) => request.Query.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;

    private static int? IntParam(HttpRequest request, string name) =>
        Param(request, name) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool IsTrue(string? value) => value is "true" or "1";
}
