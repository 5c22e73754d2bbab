using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wavelet.Testing.Kubernetes.Discovery;
using Wavelet.Testing.Kubernetes.OpenApi;

namespace Wavelet.Testing.Kubernetes;

/// <summary>
/// An in-process Kubernetes API server (Kestrel, plain HTTP unless given a certificate) that kubectl, helm, the official
/// client and the operator accept: discovery, OpenAPI, Tables, CRDs with validation, field management, dry runs,
/// deletion and garbage collection. See docs/design/fake-api-server.md for what it does and does not do.
/// </summary>
public sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly FakeKubernetesStore _store = new();
    private readonly HashSet<string> _acceptedTokens = new(StringComparer.Ordinal);
    private readonly ApiRouter _router;
    private WebApplication? _app;
    private int _inFlight;

    private FakeKubernetesApiServer()
    {
        Faults = new FakeFaults(_store);
        var endpoint = new ResourceEndpoint(_store, () => BookmarkInterval);
        endpoint.StreamOpened += () => Interlocked.Decrement(ref _inFlight);
        _router = new ApiRouter(new DiscoveryDocuments(_store.Catalog), new OpenApiDocuments(_store.Catalog), endpoint);
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

    /// <summary>Clock for creation and deletion timestamps, ages in Tables and the bookmark timer.</summary>
    public TimeProvider Time
    {
        get => _store.Time;
        set => _store.Time = value;
    }

    /// <summary>How often a watch that allows bookmarks gets one (kube-apiserver: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMinutes(1);

    public static Task<FakeKubernetesApiServer> StartAsync(CancellationToken cancellationToken = default) => StartAsync(new FakeApiServerOptions(), cancellationToken);

    /// <summary>
    /// Starts the server with HTTPS when <paramref name="serverCertificate"/> is given (it must carry its private key).
    /// Client certificates are accepted without validation and recorded in <see cref="FakeRequest.ClientCertificateSubject"/>.
    /// </summary>
    public static Task<FakeKubernetesApiServer> StartAsync(X509Certificate2? serverCertificate, CancellationToken cancellationToken = default) =>
        StartAsync(new FakeApiServerOptions { ServerCertificate = serverCertificate }, cancellationToken);

    public static async Task<FakeKubernetesApiServer> StartAsync(FakeApiServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var server = new FakeKubernetesApiServer();
        server._store.RequireNamespaces = options.RequireNamespaces;
        foreach (var ns in options.Namespaces)
        {
            server.CreateNamespace(ns);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(options.Address, options.Port, listen =>
        {
            if (options.ServerCertificate is { } certificate)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
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
        _store.Catalog.Put(new ResourceType(group, "v1", plural, kind, Namespaced: true, isCustom, hasStatusSubresource));

    /// <summary>Creates a namespace (as <c>kubectl create namespace</c> would); does nothing when it exists.</summary>
    public void CreateNamespace(string name)
    {
        if (GetObject("v1", "namespaces", null, name) is null)
        {
            _store.Create(new FakeApiPath("", "v1", null, "namespaces", null, null), new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, WriteOptions.Internal);
        }
    }

    /// <summary>Writes a kubeconfig whose current context points at this server (context "fake", namespace <paramref name="ns"/>).</summary>
    public void WriteKubeconfig(string path, string? token = null, string ns = "default") =>
        File.WriteAllText(path, Kubeconfig.Render(Url, token, ns));

    /// <summary>The stored object, or null. <paramref name="groupOrApiVersion"/>: "" / "v1" for core, "apps" or "apps/v1".</summary>
    public JsonObject? GetObject(string groupOrApiVersion, string plural, string? ns, string name) =>
        _store.TryGet(new FakeObjectKey(GroupOf(groupOrApiVersion), plural, ns ?? "", name));

    /// <summary>Stores an object directly (no conflict checks or status separation), bumping its resourceVersion and notifying watchers.</summary>
    public JsonObject PutObject(string groupOrApiVersion, string plural, JsonObject obj) => _store.Put(GroupOf(groupOrApiVersion), plural, obj);

    /// <summary>Deletes as a user would (finalizers and garbage collection apply). False when absent.</summary>
    public bool DeleteObject(string groupOrApiVersion, string plural, string? ns, string name, string? propagationPolicy = null)
    {
        try
        {
            _store.Delete(new FakeApiPath(GroupOf(groupOrApiVersion), "v1", ns, plural, name, null), new Store.DeleteOptions(propagationPolicy, null, null, false));
            return true;
        }
        catch (FakeApiError ex) when (ex.Code == 404)
        {
            return false;
        }
    }

    /// <summary>Sends a BOOKMARK with the current resourceVersion on every open watch that allows bookmarks.</summary>
    public void SendBookmarks() => _store.SendBookmarks();

    /// <summary>
    /// Starts the test kubelet: every Deployment (in <paramref name="ns"/>, or everywhere) is marked rolled out and
    /// available as soon as it is created or changed. Dispose the result to stop it.
    /// </summary>
    public IAsyncDisposable StartKubelet(string? ns = null) => TestKubelet.Start(_store, ns);

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
            if (!context.Items.ContainsKey(ResourceEndpoint.StreamingKey))
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        var request = context.Request;
        var token = request.Headers.Authorization.ToString() is { Length: > 7 } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        var query = request.QueryString.Value ?? "";
        var fieldManager = request.Query["fieldManager"].ToString();
        var clientCertificate = context.Connection.ClientCertificate?.Subject;
        var probe = new FakeRequest(-1, request.Method, request.Path.Value ?? "", query, fieldManager.Length > 0 ? fieldManager : null, request.ContentType, token, false)
        {
            ClientCertificateSubject = clientCertificate,
            Accept = request.Headers.Accept.ToString(),
            UserAgent = request.Headers.UserAgent.ToString(),
        };
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
            await Responses.WriteJsonAsync(context, 401, FakeApiError.Status(401, "Unauthorized", "Unauthorized"));
            return;
        }

        try
        {
            await _router.RouteAsync(context);
        }
        catch (FakeApiError ex)
        {
            if (!context.Response.HasStarted)
            {
                await Responses.WriteStatusAsync(context, ex);
            }
        }
        catch (JsonException ex) when (!context.Response.HasStarted)
        {
            await Responses.WriteJsonAsync(context, 400, FakeApiError.Status(400, "BadRequest", $"the body is not valid JSON: {ex.Message}"));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // client went away
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            await Responses.WriteJsonAsync(context, 500, FakeApiError.Status(500, "InternalError", $"fake API server bug: {ex}"));
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
        await Responses.WriteJsonAsync(context, fault.Status, FakeApiError.Status(fault.Status, reason, fault.Body));
    }
}

/// <summary>How to start a <see cref="FakeKubernetesApiServer"/>.</summary>
public sealed class FakeApiServerOptions
{
    /// <summary>Port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Serve HTTPS with this certificate (with its private key) instead of plain HTTP.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>Namespaces that exist from the start (kube-apiserver creates these four).</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Refuse namespaced objects in a namespace that does not exist (404), as kube-apiserver does.</summary>
    public bool RequireNamespaces { get; init; } = true;
}
