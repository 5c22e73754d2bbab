namespace Wavelet.Cluster.Tests.Backends;

/// <summary>A cluster someone already runs (kind, k3d, a cloud cluster): WAVELET_TEST_KUBECONFIG names its kubeconfig.</summary>
public sealed class ExistingClusterBackend(string kubeconfig) : IClusterBackend
{
    public string Name => "kubeconfig";

    public string Kubeconfig { get; } = kubeconfig;

    public bool IsFake => false;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
