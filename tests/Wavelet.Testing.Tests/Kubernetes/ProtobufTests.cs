namespace Wavelet.Testing.Tests.Kubernetes;

/// <summary>The protobuf bodies kubectl 1.35's typed create commands send (captured from kubectl itself).</summary>
public sealed class ProtobufTests : FakeApiTest
{
    private const string Protobuf = "application/vnd.kubernetes.protobuf";

    // `kubectl create namespace x` and `kubectl create configmap c --from-literal=a=b`, byte for byte.
    private static readonly byte[] Namespace = Bytes("k8s\0\n\u000f\n\u0002v1\u0012\tNamespace\u0012\u0019\n\u0011\n\u0001x\u0012\0\u001a\0\"\0*\02\08\0B\0\u0012\0\u001a\u0002\n\0\u001a\0\"\0");
    private static readonly byte[] ConfigMap = Bytes("k8s\0\n\u000f\n\u0002v1\u0012\tConfigMap\u0012\u001b\n\u0011\n\u0001c\u0012\0\u001a\0\"\0*\02\08\0B\0\u0012\u0006\n\u0001a\u0012\u0001b\u001a\0\"\0");

    [Fact]
    public async Task Kubectls_protobuf_namespace_and_configmap_are_created()
    {
        var ns = await Api.SendAsync(HttpMethod.Post, "/api/v1/namespaces?fieldManager=kubectl-create&fieldValidation=Strict", null, Protobuf, binary: Namespace);
        Assert.Equal(201, ns.Status);
        Assert.Equal("x", ns.At("metadata.name"));
        Assert.Equal("Active", ns.At("status.phase"));

        var cm = await Api.SendAsync(HttpMethod.Post, "/api/v1/namespaces/x/configmaps?fieldManager=kubectl-create", null, Protobuf, binary: ConfigMap);
        Assert.Equal(201, cm.Status);
        Assert.Equal("b", cm.At("data.a"));
        Assert.Equal("kubectl-create", cm.At("metadata.managedFields.0.manager"));
    }

    [Fact]
    public async Task A_kind_it_cannot_read_is_unsupported_media_type_saying_to_send_json()
    {
        var body = Bytes("k8s\0\n\u0015\n\u0007apps/v1\u0012\nDeployment\u0012\0");
        var refused = await Api.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", null, Protobuf, binary: body);
        Assert.Equal(415, refused.Status);
        Assert.Contains("apps/v1/Deployment must be sent as JSON", refused.At("message"), StringComparison.Ordinal);
    }

    private static byte[] Bytes(string text) => [.. text.Select(c => (byte)c)];
}
