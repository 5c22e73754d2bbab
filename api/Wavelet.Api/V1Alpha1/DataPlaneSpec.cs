using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Wavelet.Api.Serialization;

namespace Wavelet.Api.V1Alpha1;

/// <summary>How the data-plane pods run.</summary>
public sealed class DataPlaneSpec
{
    /// <summary>Pod count (default 2); ignored while autoscaling is set.</summary>
    public int? Replicas { get; set; }

    /// <summary>Container image; default: the operator's configured data-plane image.</summary>
    public string? Image { get; set; }

    public ResourceRequirements? Resources { get; set; }
    public Dictionary<string, string>? NodeSelector { get; set; }
    public List<Toleration>? Tolerations { get; set; }

    /// <summary>A core/v1 Affinity, passed through to the pod.</summary>
    public JsonObject? Affinity { get; set; }

    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public ServiceSettings? Service { get; set; }
    public PodDisruptionBudgetSettings? PodDisruptionBudget { get; set; }
    public AutoscalingSettings? Autoscaling { get; set; }
}

public sealed class ResourceRequirements
{
    public Dictionary<string, string>? Requests { get; set; }
    public Dictionary<string, string>? Limits { get; set; }
}

public sealed class Toleration
{
    public string? Key { get; set; }
    public string? Operator { get; set; }
    public string? Value { get; set; }
    public string? Effect { get; set; }
    public long? TolerationSeconds { get; set; }
}

public sealed class ServiceSettings
{
    /// <summary>ClusterIP (default), NodePort or LoadBalancer.</summary>
    public string? Type { get; set; }

    /// <summary>Service port (default 8080).</summary>
    public int? Port { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }
}

public sealed class PodDisruptionBudgetSettings
{
    public bool? Enabled { get; set; }

    /// <summary>Minimum available pods, a count or a percentage (default 1 when enabled and maxUnavailable unset).</summary>
    [JsonConverter(typeof(IntOrStringConverter))]
    public string? MinAvailable { get; set; }

    [JsonConverter(typeof(IntOrStringConverter))]
    public string? MaxUnavailable { get; set; }
}

public sealed class AutoscalingSettings
{
    public int? MinReplicas { get; set; }
    public int MaxReplicas { get; set; }
    public int? TargetCPUUtilization { get; set; }
}

public sealed class DdlSpec
{
    /// <summary>Allow dropping tables and columns and retyping columns. Default false.</summary>
    public bool? AllowDestructiveChanges { get; set; }
}
