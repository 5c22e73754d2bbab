using Wavelet.Api.Meta;

namespace Wavelet.Operator.Kubernetes.Models.Workloads;

/// <summary>apps/v1 Deployment, with the fields the operator writes and the status it reads.</summary>
public sealed class V1Deployment : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "apps/v1";
    public string Kind { get; set; } = "Deployment";
    public V1ObjectMeta Metadata { get; set; } = new();
    public V1DeploymentSpec? Spec { get; set; }
    public V1DeploymentStatus? Status { get; set; }
}

public sealed class V1DeploymentSpec
{
    public int? Replicas { get; set; }
    public V1LabelSelector Selector { get; set; } = new();
    public V1PodTemplateSpec Template { get; set; } = new();
    public V1DeploymentStrategy? Strategy { get; set; }
    public int? MinReadySeconds { get; set; }
    public int? ProgressDeadlineSeconds { get; set; }
    public int? RevisionHistoryLimit { get; set; }
}

public sealed class V1LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; set; }
}

public sealed class V1DeploymentStrategy
{
    public string? Type { get; set; }
    public V1RollingUpdateDeployment? RollingUpdate { get; set; }
}

public sealed class V1RollingUpdateDeployment
{
    [System.Text.Json.Serialization.JsonConverter(typeof(Wavelet.Api.Serialization.IntOrStringConverter))]
    public string? MaxUnavailable { get; set; }

    [System.Text.Json.Serialization.JsonConverter(typeof(Wavelet.Api.Serialization.IntOrStringConverter))]
    public string? MaxSurge { get; set; }
}

public sealed class V1DeploymentStatus
{
    public long? ObservedGeneration { get; set; }
    public int? Replicas { get; set; }
    public int? UpdatedReplicas { get; set; }
    public int? ReadyReplicas { get; set; }
    public int? AvailableReplicas { get; set; }
    public int? UnavailableReplicas { get; set; }
    public List<V1DeploymentCondition>? Conditions { get; set; }
}

public sealed class V1DeploymentCondition
{
    public string Type { get; set; } = "";
    public string Status { get; set; } = "";
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset? LastUpdateTime { get; set; }
    public DateTimeOffset? LastTransitionTime { get; set; }
}
