using System.Text.Json.Serialization;
using Wavelet.Api.Meta;
using Wavelet.Api.Serialization;

namespace Wavelet.Operator.Kubernetes.Models.Workloads;

/// <summary>policy/v1 PodDisruptionBudget.</summary>
public sealed class V1PodDisruptionBudget : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "policy/v1";
    public string Kind { get; set; } = "PodDisruptionBudget";
    public V1ObjectMeta Metadata { get; set; } = new();
    public V1PodDisruptionBudgetSpec? Spec { get; set; }
}

public sealed class V1PodDisruptionBudgetSpec
{
    [JsonConverter(typeof(IntOrStringConverter))]
    public string? MinAvailable { get; set; }

    [JsonConverter(typeof(IntOrStringConverter))]
    public string? MaxUnavailable { get; set; }

    public V1LabelSelector Selector { get; set; } = new();
}
