using k8s;

namespace Wavelet.Operator.Tests.Kubernetes.Conformance;

/// <summary>A namespace on an API server to run the conformance scenarios in: the fake server, or a real cluster.</summary>
public sealed class ClusterTarget : IAsyncLifetime
{
    public const string KubeconfigVariable = "WAVELET_TEST_KUBECONFIG";

    public const string HowToRun =
        "Real-cluster suite skipped: set WAVELET_TEST_KUBECONFIG=<path to a kubeconfig> (e.g. a kind or k3d cluster) to run it. " +
        "The identity needs create/delete on namespaces, configmaps, leases and events; each run uses a fresh namespace wavelet-test-<random> and deletes it.";

    private readonly bool _real;
    private FakeKubernetesApiServer? _server;

    private ClusterTarget(bool real) => _real = real;

    public k8s.Kubernetes Client { get; private set; } = null!;
    public string Namespace { get; } = $"wavelet-test-{Guid.NewGuid().ToString("N")[..8]}";

    public static ClusterTarget Fake() => new(false);

    public static ClusterTarget Real() => new(true);

    /// <summary>A second, independent client to the same server (for two leader-election candidates).</summary>
    public k8s.Kubernetes NewClient() => _real ? KubernetesClients.Create(RealConfiguration()) : _server!.CreateClient();

    public async Task InitializeAsync()
    {
        if (!_real)
        {
            _server = await FakeKubernetesApiServer.StartAsync();
        }

        Client = NewClient();
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Client.CoreV1.DeleteNamespaceAsync(Namespace);
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
