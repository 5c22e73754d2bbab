using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wavelet.Engine;
using Wavelet.Operator.Hosting;
using Wavelet.Operator.Kubernetes;
using Wavelet.Operator.Kubernetes.Watch;
using Wavelet.Operator.Observability;
using Wavelet.Testing.Kubernetes;

namespace Wavelet.Bench.Soak;

/// <summary>
/// The operator soak's systems: the local engine over PostgreSQL, the fake API server, two operator replicas behind leader
/// election (each with a token of its own, so faults can single one out), and the driver's "kubelet", an informer that
/// marks every Deployment rolled out. The driver's requests carry a third token and are never faulted.
/// </summary>
public sealed class OperatorSoakWorld : IAsyncDisposable
{
    public const string Namespace = "soak";
    public const string DriverToken = "wavelet-soak-driver";
    private readonly CancellationTokenSource _stop = new();
    private Task _kubelet = Task.CompletedTask;

    private OperatorSoakWorld(LocalEngine engine, FakeKubernetesApiServer server, IKubernetes client)
    {
        Engine = engine;
        Server = server;
        Client = client;
    }

    public LocalEngine Engine { get; }

    public FakeKubernetesApiServer Server { get; }

    /// <summary>The driver's client (never faulted).</summary>
    public IKubernetes Client { get; }

    public List<OperatorReplica> Replicas { get; } = [];

    /// <summary>The token whose Lease requests are refused (leader loss), or null.</summary>
    public string? LeaseBlockedFor { get; set; }

    public static async Task<OperatorSoakWorld> StartAsync(ILogger logger, CancellationToken ct)
    {
        var engine = await LocalEngine.StartAsync(new LocalEngineOptions { BarrierInterval = TimeSpan.FromSeconds(1) }, ct);
        var server = await FakeKubernetesApiServer.StartAsync(ct);
        server.CreateNamespace(Namespace);
        var client = KubernetesClients.Create(new KubernetesClientConfiguration { Host = server.Url, Namespace = Namespace, AccessToken = DriverToken });
        var world = new OperatorSoakWorld(engine, server, client);
        try
        {
            // One standing rule: while LeaseBlockedFor names a replica, its Lease reads and renewals fail, so it loses leadership.
            server.Faults.FailNext(int.MaxValue, 503, "the Lease is unavailable (soak: leader loss)",
                match: r => r.BearerToken is { } token && token == world.LeaseBlockedFor && r.Path.Contains("/leases/", StringComparison.Ordinal));
            await client.CoreV1.CreateNamespacedSecretAsync(
                new V1Secret { Metadata = new V1ObjectMeta { Name = "rw", NamespaceProperty = Namespace }, StringData = new Dictionary<string, string> { ["url"] = engine.Url } },
                Namespace,
                cancellationToken: ct);
            world._kubelet = world.KubeletAsync(logger, world._stop.Token);
            foreach (var identity in new[] { "op-a", "op-b" })
            {
                world.Replicas.Add(await OperatorReplica.StartAsync(server, identity, ct));
            }

            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when <paramref name="request"/> is an operator's (not the driver's).</summary>
    public static bool FromOperator(FakeRequest request) => request.BearerToken is { } token && token != DriverToken;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _kubelet;
        foreach (var replica in Replicas)
        {
            await replica.DisposeAsync();
        }

        Client.Dispose();
        await Server.DisposeAsync();
        await Engine.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>Stands in for the kubelet: a Deployment not yet rolled out at its generation is marked available.</summary>
    private async Task KubeletAsync(ILogger logger, CancellationToken ct)
    {
        var deployments = new Informer<V1Deployment>(Client, Namespace, null, logger);
        void Roll(V1Deployment d)
        {
            if (d.Metadata.DeletionTimestamp is null && (d.Status?.ObservedGeneration != d.Metadata.Generation || d.Status?.AvailableReplicas is null))
            {
                Server.MarkDeploymentAvailable(Namespace, d.Metadata.Name!);
            }
        }

        deployments.Added += Roll;
        deployments.Updated += (_, d) => Roll(d);
        try
        {
            await deployments.RunAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}

/// <summary>One operator host in process, as a replica of the Deployment would run it.</summary>
public sealed class OperatorReplica : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OperatorReplica(string identity, string token, WebApplication app)
    {
        Identity = identity;
        Token = token;
        _app = app;
    }

    public string Identity { get; }

    /// <summary>The bearer token of its requests, which tells them apart at the fake API server.</summary>
    public string Token { get; }

    public bool IsLeader => _app.Services.GetRequiredService<OperatorMetrics>().IsLeader;

    public static async Task<OperatorReplica> StartAsync(FakeKubernetesApiServer server, string identity, CancellationToken ct)
    {
        var token = "wavelet-soak-" + identity;
        var flags = OperatorCommandLine.Parse(
        [
            "--health-port", "0", "--metrics-port", "0", "--leader-elect", "true", "--lease-namespace", OperatorSoakWorld.Namespace,
            "--identity", identity, "--resync-period", TimeSpan.FromSeconds(20).ToString("c", CultureInfo.InvariantCulture), "--data-plane-image", "wavelet/dataplane:soak",
        ]);
        // Short leases, so a lost leader is replaced within seconds (the defaults are 15 s, 10 s, 2 s).
        flags["Operator:LeaderElection:LeaseDuration"] = "4s";
        flags["Operator:LeaderElection:RenewDeadline"] = "3s";
        flags["Operator:LeaderElection:RetryPeriod"] = "1s";
        // Informers and the elector log every refused request with its stack; leadership changes are still worth seeing.
        flags["Logging:LogLevel:Default"] = "Error";
        flags["Logging:LogLevel:Wavelet.Operator.Hosting"] = "Warning";
        var configuration = new KubernetesClientConfiguration { Host = server.Url, Namespace = OperatorSoakWorld.Namespace, AccessToken = token };
        var app = OperatorHostBuilder.Build(flags, services => services.AddSingleton(configuration));
        await app.StartAsync(ct);
        return new OperatorReplica(identity, token, app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
