namespace Wavelet.Cluster.Tests.Backends;

/// <summary>An API server the scenarios run against, reached through a kubeconfig.</summary>
public interface IClusterBackend : IAsyncDisposable
{
    /// <summary>"fake", "k3s" or "kubeconfig", for messages.</summary>
    string Name { get; }

    /// <summary>Path of a kubeconfig kubectl, helm and the operator use unchanged.</summary>
    string Kubeconfig { get; }

    /// <summary>True for the fake API server, where no real kubelet runs pods.</summary>
    bool IsFake { get; }
}
