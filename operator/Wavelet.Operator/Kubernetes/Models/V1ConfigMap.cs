using Wavelet.Api.Meta;

namespace Wavelet.Operator.Kubernetes;

public sealed class V1ConfigMap : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeApiVersion = "v1";
    public const string KubeKind = "ConfigMap";

    public string ApiVersion { get; set; } = KubeApiVersion;
    public string Kind { get; set; } = KubeKind;
    public V1ObjectMeta Metadata { get; set; } = new();
    public Dictionary<string, string>? Data { get; set; }
    public Dictionary<string, string>? BinaryData { get; set; }
    public bool? Immutable { get; set; }
}
