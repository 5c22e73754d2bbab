using Wavelet.Api.Meta;
using Wavelet.Operator.Kubernetes;
using Wavelet.Testing.Kubernetes;
using Ks = Wavelet.Operator.Kubernetes;

namespace Wavelet.Operator.Tests.Kubernetes.Conformance;

/// <summary>A namespace on an API server to run the client conformance scenarios in: the fake server, or a real cluster.</summary>
public sealed class ClusterTarget : IAsyncLifetime
{
    public const string KubeconfigVariable = "WAVELET_TEST_KUBECONFIG";

    public const string HowToRun =
        "Real-cluster suite skipped: set WAVELET_TEST_KUBECONFIG=<path to a kubeconfig> (e.g. a kind or k3d cluster) to run it. " +
        "The identity needs create/delete on namespaces, configmaps, leases and events; each run uses a fresh namespace wavelet-test-<random> and deletes it.";

    private static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", false);
    private readonly bool _real;
    private FakeKubernetesApiServer? _server;

    private ClusterTarget(bool real) => _real = real;

    public Ks.Kubernetes Client { get; private set; } = null!;
    public string Namespace { get; } = $"wavelet-test-{Guid.NewGuid().ToString("N")[..8]}";
    public bool IsReal => _real;

    public static ClusterTarget Fake() => new(false);

    public static ClusterTarget Real() => new(true);

    /// <summary>A second, independent client to the same server (for two leader-election candidates).</summary>
    public Ks.Kubernetes NewClient() => new(_real ? RealConfiguration() : _server!.CreateClientConfiguration());

    public async Task InitializeAsync()
    {
        if (_real)
        {
            Client = new Ks.Kubernetes(RealConfiguration());
        }
        else
        {
            _server = await FakeKubernetesApiServer.StartAsync();
            Client = new Ks.Kubernetes(_server.CreateClientConfiguration());
        }

        await Client.Resource<V1Namespace>(Namespaces).CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Client.Resource<V1Namespace>(Namespaces).DeleteAsync(null, Namespace);
        }
        finally
        {
            Client.Dispose();
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }

    private static KubernetesClientConfiguration RealConfiguration() =>
        KubernetesClientConfiguration.BuildConfigFromConfigFile(Environment.GetEnvironmentVariable(KubeconfigVariable));

    private sealed class V1Namespace : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = "v1";
        public string Kind { get; set; } = "Namespace";
        public V1ObjectMeta Metadata { get; set; } = new();
    }
}

/// <summary>A fact that runs only when WAVELET_TEST_KUBECONFIG points at a real cluster; otherwise skipped with how to run it.</summary>
public sealed class RealClusterFactAttribute : FactAttribute
{
    public RealClusterFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ClusterTarget.KubeconfigVariable)))
        {
            Skip = ClusterTarget.HowToRun;
        }
    }
}
