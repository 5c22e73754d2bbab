using k8s;
using Wavelet.Operator.Kubernetes;
using Wavelet.Testing.Kubernetes;

namespace Wavelet.Operator.Tests.Kubernetes;

/// <summary>
/// KubernetesClient configurations and clients for a <see cref="FakeKubernetesApiServer"/>. Lives beside the operator
/// tests because Wavelet.Testing does not reference the operator assembly; call it as server.CreateClient().
/// </summary>
public static class FakeKubernetesApiServerClientExtensions
{
    public static KubernetesClientConfiguration CreateClientConfiguration(this FakeKubernetesApiServer server, string? token = null, string ns = "default") =>
        new() { Host = server.Url, Namespace = ns, AccessToken = token };

    /// <summary>A client the way the operator makes one (<see cref="KubernetesClients.Create"/>).</summary>
    public static k8s.Kubernetes CreateClient(this FakeKubernetesApiServer server, string? token = null) =>
        KubernetesClients.Create(server.CreateClientConfiguration(token));
}
