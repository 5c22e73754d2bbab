using Testcontainers.K3s;

namespace Wavelet.Cluster.Tests.Backends;

/// <summary>A throwaway K3s cluster in Docker (Testcontainers.K3s); its kubeconfig is written to a temporary file.</summary>
public sealed class K3sBackend : IClusterBackend
{
    public const string ImageVariable = "WAVELET_TEST_K3S_IMAGE";
    private const string DefaultImage = "rancher/k3s:v1.33.4-k3s1";

    private readonly K3sContainer _container;
    private readonly string _directory;

    private K3sBackend(K3sContainer container, string directory, string kubeconfig)
    {
        _container = container;
        _directory = directory;
        Kubeconfig = kubeconfig;
    }

    public string Name => "k3s";

    public string Kubeconfig { get; }

    public bool IsFake => false;

    /// <summary>Whether a Docker engine looks reachable (DOCKER_HOST set, or the default socket present).</summary>
    public static bool DockerAvailable =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");

    public static async Task<K3sBackend> StartAsync(CancellationToken cancellationToken = default)
    {
        var image = Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } configured ? configured : DefaultImage;
        var container = new K3sBuilder(image).Build();
        await container.StartAsync(cancellationToken);
        var directory = Directory.CreateTempSubdirectory("wavelet-cluster-k3s-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, await container.GetKubeconfigAsync(), cancellationToken);
        return new K3sBackend(container, directory, kubeconfig);
    }

    public async ValueTask DisposeAsync()
    {
        await _container.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
