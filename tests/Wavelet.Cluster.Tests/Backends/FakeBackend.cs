using Wavelet.Testing.Kubernetes;

namespace Wavelet.Cluster.Tests.Backends;

/// <summary>The fake API server on loopback, with the test kubelet marking Deployments available.</summary>
public sealed class FakeBackend : IClusterBackend
{
    private readonly FakeKubernetesApiServer _server;
    private readonly IAsyncDisposable _kubelet;
    private readonly string _directory;

    private FakeBackend(FakeKubernetesApiServer server, IAsyncDisposable kubelet, string directory)
    {
        _server = server;
        _kubelet = kubelet;
        _directory = directory;
        Kubeconfig = Path.Combine(directory, "kubeconfig");
        server.WriteKubeconfig(Kubeconfig);
    }

    public string Name => "fake";

    public string Kubeconfig { get; }

    public bool IsFake => true;

    public FakeKubernetesApiServer Server => _server;

    public static async Task<FakeBackend> StartAsync()
    {
        var server = await FakeKubernetesApiServer.StartAsync();
        var directory = Directory.CreateTempSubdirectory("wavelet-cluster-fake-").FullName;
        return new FakeBackend(server, server.StartKubelet(), directory);
    }

    public async ValueTask DisposeAsync()
    {
        await _kubelet.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
