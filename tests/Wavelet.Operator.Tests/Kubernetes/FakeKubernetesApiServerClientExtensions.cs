using Wavelet.Operator.Kubernetes;

namespace Wavelet.Testing.Kubernetes;

/// <summary>
/// Client configuration for a <see cref="FakeKubernetesApiServer"/>. Lives beside the operator tests because
/// Wavelet.Testing does not reference the operator assembly; call it as server.CreateClientConfiguration().
/// </summary>
public static class FakeKubernetesApiServerClientExtensions
{
    public static KubernetesClientConfiguration CreateClientConfiguration(this FakeKubernetesApiServer server, string? token = null, string ns = "default") =>
        new()
        {
            Host = server.Url,
            Namespace = ns,
            AccessToken = token,
            CurrentContext = "fake",
        };
}
