using System.Text.Json.Serialization;
using Wavelet.Api.Meta;

namespace Wavelet.Operator.Kubernetes;

public sealed class V1Secret : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeApiVersion = "v1";
    public const string KubeKind = "Secret";

    public string ApiVersion { get; set; } = KubeApiVersion;
    public string Kind { get; set; } = KubeKind;
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Values, base64 on the wire and decoded here.</summary>
    [JsonConverter(typeof(Base64DictionaryConverter))]
    public Dictionary<string, byte[]>? Data { get; set; }

    /// <summary>Write-only convenience: the server merges it into <see cref="Data"/>.</summary>
    public Dictionary<string, string>? StringData { get; set; }

    public string? Type { get; set; }
    public bool? Immutable { get; set; }
}
