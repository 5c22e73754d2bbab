using System.Text.Json.Serialization;
using Wavelet.Api.Meta;
using Wavelet.Api.Serialization;

namespace Wavelet.Operator.Kubernetes.Models.Workloads;

/// <summary>core/v1 Service.</summary>
public sealed class V1Service : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "v1";
    public string Kind { get; set; } = "Service";
    public V1ObjectMeta Metadata { get; set; } = new();
    public V1ServiceSpec? Spec { get; set; }
}

public sealed class V1ServiceSpec
{
    public string? Type { get; set; }
    public Dictionary<string, string>? Selector { get; set; }
    public List<V1ServicePort>? Ports { get; set; }
}

public sealed class V1ServicePort
{
    public string? Name { get; set; }
    public int Port { get; set; }

    [JsonConverter(typeof(IntOrStringConverter))]
    public string? TargetPort { get; set; }

    public string? Protocol { get; set; }
}
