using System.Text.Json.Serialization;
using Wavelet.Api.Meta;

namespace Wavelet.Operator.Kubernetes;

/// <summary>coordination.k8s.io/v1 Lease, the lock object of leader election.</summary>
public sealed class V1Lease : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeApiVersion = "coordination.k8s.io/v1";
    public const string KubeKind = "Lease";

    public string ApiVersion { get; set; } = KubeApiVersion;
    public string Kind { get; set; } = KubeKind;
    public V1ObjectMeta Metadata { get; set; } = new();
    public V1LeaseSpec Spec { get; set; } = new();
}

public sealed class V1LeaseSpec
{
    public string? HolderIdentity { get; set; }
    public int? LeaseDurationSeconds { get; set; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    public int? LeaseTransitions { get; set; }
}
