using Wavelet.Api.Meta;

namespace Wavelet.Operator.Kubernetes.Models.Workloads;

/// <summary>autoscaling/v2 HorizontalPodAutoscaler.</summary>
public sealed class V2HorizontalPodAutoscaler : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "autoscaling/v2";
    public string Kind { get; set; } = "HorizontalPodAutoscaler";
    public V1ObjectMeta Metadata { get; set; } = new();
    public V2HorizontalPodAutoscalerSpec? Spec { get; set; }
}

public sealed class V2HorizontalPodAutoscalerSpec
{
    public V2CrossVersionObjectReference ScaleTargetRef { get; set; } = new();
    public int? MinReplicas { get; set; }
    public int MaxReplicas { get; set; }
    public List<V2MetricSpec>? Metrics { get; set; }
}

public sealed class V2CrossVersionObjectReference
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class V2MetricSpec
{
    public string Type { get; set; } = "Resource";
    public V2ResourceMetricSource? Resource { get; set; }
}

public sealed class V2ResourceMetricSource
{
    public string Name { get; set; } = "";
    public V2MetricTarget Target { get; set; } = new();
}

public sealed class V2MetricTarget
{
    public string Type { get; set; } = "Utilization";
    public int? AverageUtilization { get; set; }
}
