using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Wavelet.Testing.Kubernetes;

/// <summary>
/// An in-process Kubernetes API server (Kestrel on loopback, plain HTTP) with the semantics the operator's client relies
/// on, for any resource path. See docs/design/kubernetes-client.md for what it approximates.
/// </summary>
public sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly FakeKubernetesStore _store = new();
    private readonly HashSet<string> _acceptedTokens = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private int _inFlight;

    private FakeKubernetesApiServer()
    {
        Faults = new FakeFaults(_store);
    }

    /// <summary>Base URL, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; private set; } = "";

    public FakeFaults Faults { get; }

    public FakeRequestLog Requests { get; } = new();

    /// <summary>The newest resourceVersion handed out.</summary>
    public long CurrentResourceVersion => _store.CurrentResourceVersion;

    /// <summary>
    /// Requests being answered right now (a watch counts until its stream is open). Tests that drive a fake clock advance
    /// it only when this is zero, so time does not run while the client waits for an answer.
    /// </summary>
    public int InFlightRequests => Volatile.Read(ref _inFlight);

    /// <summary>Watch streams currently open.</summary>
    public int OpenWatchCount => _store.OpenWatchCount;

    /// <summary>When set, a watch from an expired resourceVersion gets HTTP 410 rather than an ERROR event inside a 200 stream.</summary>
    public bool ExpiredWatchAsHttpGone
    {
        get => _store.ExpiredWatchAsHttpGone;
        set => _store.ExpiredWatchAsHttpGone = value;
    }

    /// <summary>Clock for creation and deletion timestamps.</summary>
    public TimeProvider Time
    {
        get => _store.Time;
        set => _store.Time = value;
    }

    public static Task<FakeKubernetesApiServer> StartAsync(CancellationToken cancellationToken = default) => StartAsync(null, cancellationToken);

    /// <summary>
    /// Starts the server with HTTPS when <paramref name="serverCertificate"/> is given (it must carry its private key).
    /// Client certificates are accepted without validation and recorded in <see cref="FakeRequest.ClientCertificateSubject"/>.
    /// </summary>
    public static async Task<FakeKubernetesApiServer> StartAsync(X509Certificate2? serverCertificate, CancellationToken cancellationToken = default)
    {
        var server = new FakeKubernetesApiServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (serverCertificate is not null)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = serverCertificate;
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.AllowAnyClientCertificate();
                });
            }
        }));
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        server._app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        server.Url = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return server;
    }

    /// <summary>From now on only requests with one of these bearer tokens are served (others get 401).</summary>
    public void RequireToken(params string[] tokens)
    {
        lock (_acceptedTokens)
        {
            _acceptedTokens.Clear();
            _acceptedTokens.UnionWith(tokens);
        }
    }

    /// <summary>Declares a resource type (for kinds the fake cannot guess: cluster-scoped custom resources, CRs without /status).</summary>
    public void RegisterResource(string group, string plural, string kind, bool isCustom = true, bool hasStatusSubresource = true) =>
        _store.Register(new FakeResourceInfo(group, plural, kind, isCustom, hasStatusSubresource));

    /// <summary>
    /// Writes a kubeconfig whose current context points at this server (context "fake", namespace "default"). The user
    /// always has a token (default "fake-user"): KubernetesClient refuses a kubeconfig user without credentials.
    /// </summary>
    public void WriteKubeconfig(string path, string? token = null, string ns = "default")
    {
        var user = $"{{token: \"{token ?? "fake-user"}\"}}";
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: fake
            clusters:
            - name: fake
              cluster:
                server: {Url}
            users:
            - name: fake
              user: {user}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: {ns}
            """);
    }

    /// <summary>The stored object, or null. <paramref name="groupOrApiVersion"/>: "" / "v1" for core, "apps" or "apps/v1".</summary>
    public JsonObject? GetObject(string groupOrApiVersion, string plural, string? ns, string name) =>
        _store.TryGet(new FakeObjectKey(GroupOf(groupOrApiVersion), plural, ns ?? "", name));

    /// <summary>Stores an object directly (no conflict checks or status separation), bumping its resourceVersion and notifying watchers.</summary>
    public JsonObject PutObject(string groupOrApiVersion, string plural, JsonObject obj) => _store.Put(GroupOf(groupOrApiVersion), plural, obj);

    /// <summary>Deletes as a user would (finalizers and garbage collection apply). False when absent.</summary>
    public bool DeleteObject(string groupOrApiVersion, string plural, string? ns, string name, string? propagationPolicy = null)
    {
        var group = GroupOf(groupOrApiVersion);
        try
        {
            _store.Delete(new FakeApiPath(group, "v1", ns, plural, name, null), propagationPolicy, null, null);
            return true;
        }
        catch (FakeApiError ex) when (ex.Code == 404)
        {
            return false;
        }
    }

    /// <summary>Sends a BOOKMARK with the current resourceVersion on every open watch that allows bookmarks.</summary>
    public void SendBookmarks() => _store.SendBookmarks();

    public async ValueTask DisposeAsync()
    {
        _store.CutWatches();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static string GroupOf(string groupOrApiVersion)
    {
        if (groupOrApiVersion is "" or "v1")
        {
            return "";
        }

        var slash = groupOrApiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? groupOrApiVersion : groupOrApiVersion[..slash];
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            await HandleCoreAsync(context);
        }
        finally
        {
            if (!context.Items.ContainsKey(StreamingKey))
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private const string StreamingKey = "wavelet.fake.streaming";

    private async Task HandleCoreAsync(HttpContext context)
    {
        var request = context.Request;
        var token = request.Headers.Authorization.ToString() is { Length: > 7 } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        var query = request.QueryString.Value ?? "";
        var fieldManager = request.Query["fieldManager"].ToString();
        var method = request.Method;

        var clientCertificate = context.Connection.ClientCertificate?.Subject;
        var probe = new FakeRequest(-1, method, request.Path.Value ?? "", query, fieldManager.Length > 0 ? fieldManager : null, request.ContentType, token, false) { ClientCertificateSubject = clientCertificate };
        var fault = Faults.Take(probe);
        Requests.Add(probe with { Faulted = fault is not null });

        if (fault is not null)
        {
            await WriteFaultAsync(context, fault);
            return;
        }

        bool authorized;
        lock (_acceptedTokens)
        {
            authorized = _acceptedTokens.Count == 0 || (token is not null && _acceptedTokens.Contains(token));
        }

        if (!authorized)
        {
            await WriteJsonAsync(context, 401, FakeApiError.Status(401, "Unauthorized", "Unauthorized"));
            return;
        }

        try
        {
            await DispatchAsync(context, method, query);
        }
        catch (FakeApiError ex)
        {
            if (!context.Response.HasStarted)
            {
                await WriteJsonAsync(context, ex.Code, ex.ToStatus());
            }
        }
        catch (JsonException ex)
        {
            await WriteJsonAsync(context, 400, FakeApiError.Status(400, "BadRequest", $"the body is not valid JSON: {ex.Message}"));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // client went away
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            await WriteJsonAsync(context, 500, FakeApiError.Status(500, "InternalError", $"fake API server bug: {ex}"));
        }
    }

    private async Task DispatchAsync(HttpContext context, string method, string query)
    {
        var request = context.Request;
        var path = FakeApiPath.Parse(request.Path.Value ?? "") ?? throw new FakeApiError(404, "NotFound", $"the server could not find the requested resource ({request.Path})");
        var body = await ReadBodyAsync(request);
        switch (method)
        {
            case "GET" when path.Name is null && IsTrue(request.Query["watch"]):
                await WatchAsync(context, path);
                return;
            case "GET" when path.Name is null:
                await WriteJsonAsync(context, 200, _store.List(path, Param(request, "labelSelector"), Param(request, "fieldSelector"), IntParam(request, "limit"), Param(request, "continue")));
                return;
            case "GET":
                await WriteJsonAsync(context, 200, _store.Get(path));
                return;
            case "POST":
                await WriteJsonAsync(context, 201, _store.Create(path, ParseObject(body)));
                return;
            case "PUT":
                await WriteJsonAsync(context, 200, _store.Replace(path, ParseObject(body)));
                return;
            case "PATCH":
                await PatchAsync(context, path, body);
                return;
            case "DELETE":
                var options = string.IsNullOrWhiteSpace(body) ? new JsonObject() : ParseObject(body);
                var policy = options["propagationPolicy"]?.GetValue<string>() ?? Param(request, "propagationPolicy");
                var result = _store.Delete(path, policy, options["preconditions"]?["uid"]?.GetValue<string>(), options["preconditions"]?["resourceVersion"]?.GetValue<string>());
                await WriteJsonAsync(context, 200, result);
                return;
            default:
                throw new FakeApiError(405, "MethodNotAllowed", $"method {method} is not supported");
        }
    }

    private async Task PatchAsync(HttpContext context, FakeApiPath path, string body)
    {
        var contentType = context.Request.ContentType?.Split(';')[0].Trim() ?? "";
        var info = _store.Info(path.Group, path.Resource);
        switch (contentType)
        {
            case "application/merge-patch+json":
                await WriteJsonAsync(context, 200, _store.MergePatch(path, ParseObject(body)));
                return;
            case "application/strategic-merge-patch+json" when info.IsCustom:
                throw new FakeApiError(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
            case "application/strategic-merge-patch+json":
                // approximation: built-in kinds merge lists by key in reality; the fake merges like a JSON merge patch
                await WriteJsonAsync(context, 200, _store.MergePatch(path, ParseObject(body)));
                return;
            case "application/apply-patch+yaml":
                var fieldManager = Param(context.Request, "fieldManager");
                if (string.IsNullOrEmpty(fieldManager))
                {
                    throw FakeApiError.BadRequest("PATCH, application/apply-patch+yaml requests require the fieldManager parameter");
                }

                JsonObject intent;
                try
                {
                    intent = ParseObject(body);
                }
                catch (JsonException)
                {
                    throw FakeApiError.BadRequest("the fake API server accepts apply bodies as JSON only (JSON is valid YAML); send the object as JSON");
                }

                var (obj, created) = _store.Apply(path, intent, fieldManager, IsTrue(context.Request.Query["force"]));
                await WriteJsonAsync(context, created ? 201 : 200, obj);
                return;
            default:
                throw new FakeApiError(415, "UnsupportedMediaType", $"the fake API server does not implement patch type '{contentType}'");
        }
    }

    private async Task WatchAsync(HttpContext context, FakeApiPath path)
    {
        var request = context.Request;
        var watcher = _store.OpenWatch(path, Param(request, "resourceVersion"), Param(request, "labelSelector"), Param(request, "fieldSelector"), IsTrue(request.Query["allowWatchBookmarks"]), out var gone);
        if (watcher is null)
        {
            throw gone!;
        }

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
        Interlocked.Decrement(ref _inFlight); // the stream is open: from here on the client is waiting for events, not an answer
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
            _store.CloseWatch(watcher);
        }
    }

    private static async Task WriteFaultAsync(HttpContext context, FakeFaults.FailureRule fault)
    {
        if (fault.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (fault.PlainText)
        {
            context.Response.StatusCode = fault.Status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(fault.Body);
            return;
        }

        var reason = fault.Status switch
        {
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            409 => "Conflict",
            410 => "Gone",
            422 => "Invalid",
            429 => "TooManyRequests",
            503 => "ServiceUnavailable",
            504 => "Timeout",
            _ => fault.Status >= 500 ? "InternalError" : "BadRequest",
        };
        await WriteJsonAsync(context, fault.Status, FakeApiError.Status(fault.Status, reason, fault.Body));
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8);
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
    }

    private static JsonObject ParseObject(string body) =>
        JsonNode.Parse(body) as JsonObject ?? throw FakeApiError.BadRequest("the body must be a JSON object");

    private static string? Param(HttpRequest request, string name) => request.Query.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;

    private static int? IntParam(HttpRequest request, string name) =>
        Param(request, name) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is "true" or "1";
}
