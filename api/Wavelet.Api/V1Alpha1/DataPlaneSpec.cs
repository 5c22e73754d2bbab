using Wavelet.Api.Serialization;

namespace Wavelet.Api.V1Alpha1;

/// <summary>How the data-plane pods run.</summary>
public sealed class DataPlaneSpec
{
    /// <summary>Pod count (default 2); ignored while autoscaling is set.</summary>
    [Range(0, WaveletLimits.MaxReplicas)]
    [Description("Number of data-plane pods. Default: 2. Ignored while autoscaling is set; 0 while spec.suspend is true.")]
    public int? Replicas { get; set; }

    /// <summary>Container image; default: the operator's configured data-plane image.</summary>
    [MinLength(1), MaxLength(512)]
    [Description("Data-plane container image. Default: the image the operator was installed with.")]
    public string? Image { get; set; }

    /// <summary>The data plane's own database credential (a read-only user); default: the DDL connection Secret.</summary>
    [Description("Secret key holding the postgres:// URL the data-plane pods use. Give it a user that may only SELECT/DECLARE/FETCH the project's views and subscriptions and INSERT into its event tables. Default: spec.risingwave.connectionSecretRef, the operator's DDL-capable user.")]
    public SecretKeySelector? ConnectionSecretRef { get; set; }

    [MaxLength(16)]
    [Description("Names of Secrets (type kubernetes.io/dockerconfigjson, in the project's namespace) used to pull the data-plane image from a private registry.")]
    public List<string>? ImagePullSecrets { get; set; }

    [Description("CPU and memory requests and limits of the data-plane container. Default: requests cpu 100m and memory 128Mi, limit memory 512Mi.")]
    public ResourceRequirements? Resources { get; set; }

    [Description("Per-client limits of the data plane: WebSocket connections per address and per token, and the HTTP write rate.")]
    public DataPlaneLimits? Limits { get; set; }

    [Description("Node labels the data-plane pods must be scheduled on (pod nodeSelector).")]
    public Dictionary<string, string>? NodeSelector { get; set; }

    [Description("Tolerations of the data-plane pods.")]
    public List<Toleration>? Tolerations { get; set; }

    /// <summary>A core/v1 Affinity, passed through to the pod.</summary>
    [Description("A core/v1 Affinity, passed through to the data-plane pods unchanged.")]
    public JsonObject? Affinity { get; set; }

    [Description("Extra labels on the data-plane pods.")]
    public Dictionary<string, string>? Labels { get; set; }

    [Description("Extra annotations on the data-plane pods.")]
    public Dictionary<string, string>? Annotations { get; set; }

    [Description("The Service in front of the data-plane pods.")]
    public ServiceSettings? Service { get; set; }

    [Description("A PodDisruptionBudget for the data-plane pods.")]
    public PodDisruptionBudgetSettings? PodDisruptionBudget { get; set; }

    [Description("A HorizontalPodAutoscaler for the data plane; replaces replicas while set.")]
    public AutoscalingSettings? Autoscaling { get; set; }

    /// <summary>Upstream (default) or Numbers.</summary>
    [AllowedValues(ValueShapes.Upstream, ValueShapes.Numbers)]
    [Description("JSON shape of row values in snapshots, diffs, HTTP reads, webhooks and MCP: Upstream (default: what upstream Wavelet's node-postgres server sends, so bigint and numeric are JSON strings) or Numbers (bigint and numeric as JSON numbers; beyond 2^53 JavaScript loses precision).")]
    public string? ValueShape { get; set; }

    [Description("The MCP endpoint (/mcp) for AI agents, authenticated and filtered like the HTTP API. Off unless enabled.")]
    public McpSettings? Mcp { get; set; }
}

public static class ValueShapes
{
    public const string Upstream = "Upstream";
    public const string Numbers = "Numbers";
}

public sealed class McpSettings
{
    [Description("Serve MCP (Streamable HTTP) at /mcp on the data-plane port. Default: false.")]
    public bool? Enabled { get; set; }
}

/// <summary>Caps on what one client can hold or send; 0 turns a cap off.</summary>
public sealed class DataPlaneLimits
{
    [Range(0, WaveletLimits.MaxConnectionCap)]
    [Description("Open WebSockets per client IP address, per pod; more are refused with HTTP 429 before the upgrade. 0: no cap. Default: 1000. Behind a proxy or a Service with externalTrafficPolicy: Cluster every client may share one address: raise it or set 0 there.")]
    public int? MaxConnectionsPerAddress { get; set; }

    [Range(0, WaveletLimits.MaxConnectionCap)]
    [Description("Open WebSockets per token, per pod; more are refused with HTTP 429 before the upgrade. 0: no cap. Default: 100.")]
    public int? MaxConnectionsPerToken { get; set; }

    [Range(0, WaveletLimits.MaxWriteRate)]
    [Description("Event writes (POST /v1/events/...) per second per client IP address, per pod; more are answered with HTTP 429 and Retry-After. 0: no limit. Default: 200.")]
    public int? WritesPerSecond { get; set; }

    [Range(1, WaveletLimits.MaxWriteRate)]
    [Description("Writes a client address may send at once above writesPerSecond (token-bucket size). Default: twice writesPerSecond.")]
    public int? WriteBurst { get; set; }
}

public sealed class ResourceRequirements
{
    [JsonConverter(typeof(QuantityMapConverter))]
    [Description("Minimum resources, e.g. cpu: 100m, memory: 128Mi.")]
    public Dictionary<string, string>? Requests { get; set; }

    [JsonConverter(typeof(QuantityMapConverter))]
    [Description("Maximum resources, e.g. memory: 512Mi.")]
    public Dictionary<string, string>? Limits { get; set; }
}

public sealed class Toleration
{
    [MaxLength(316)]
    [Description("Taint key the toleration matches; empty with operator Exists matches every taint.")]
    public string? Key { get; set; }

    [AllowedValues("Exists", "Equal")]
    [Description("Exists or Equal (default).")]
    public string? Operator { get; set; }

    [MaxLength(63)]
    [Description("Taint value the toleration matches (operator Equal).")]
    public string? Value { get; set; }

    [AllowedValues("NoSchedule", "PreferNoSchedule", "NoExecute")]
    [Description("Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches all.")]
    public string? Effect { get; set; }

    [Description("For NoExecute: seconds the pod stays bound after the taint appears.")]
    public long? TolerationSeconds { get; set; }
}

public sealed class ServiceSettings
{
    /// <summary>ClusterIP (default), NodePort or LoadBalancer.</summary>
    [AllowedValues("ClusterIP", "NodePort", "LoadBalancer")]
    [Description("Service type: ClusterIP (default), NodePort or LoadBalancer.")]
    public string? Type { get; set; }

    /// <summary>Service port (default 8080).</summary>
    [Range(1, 65535)]
    [Description("Service port for HTTP and WebSocket clients. Default: 8080.")]
    public int? Port { get; set; }

    [Description("Annotations on the Service (e.g. for a cloud load balancer).")]
    public Dictionary<string, string>? Annotations { get; set; }
}

[CelRule("!(has(self.minAvailable) && has(self.maxUnavailable))", "set only one of minAvailable and maxUnavailable")]
public sealed class PodDisruptionBudgetSettings
{
    [Description("Create the PodDisruptionBudget. Default: false.")]
    public bool? Enabled { get; set; }

    /// <summary>Minimum available pods, a count or a percentage (default 1 when enabled and maxUnavailable unset).</summary>
    [JsonConverter(typeof(IntOrStringConverter))]
    [Description("Pods that must stay available during voluntary disruptions: a count or a percentage such as 50%. Default: 1 when maxUnavailable is unset.")]
    public string? MinAvailable { get; set; }

    [JsonConverter(typeof(IntOrStringConverter))]
    [Description("Pods that may be unavailable during voluntary disruptions: a count or a percentage. Exclusive with minAvailable.")]
    public string? MaxUnavailable { get; set; }
}

[CelRule("!has(self.minReplicas) || self.minReplicas <= self.maxReplicas", "minReplicas must not exceed maxReplicas", FieldPath = ".minReplicas")]
public sealed class AutoscalingSettings
{
    [Range(1, WaveletLimits.MaxReplicas)]
    [Description("Fewest data-plane pods. Default: 1.")]
    public int? MinReplicas { get; set; }

    [Required, Range(1, WaveletLimits.MaxReplicas)]
    [Description("Most data-plane pods.")]
    public int MaxReplicas { get; set; }

    [Range(1, 100)]
    [Description("Average CPU utilisation, in percent of the request, the autoscaler aims for. Default: 80.")]
    public int? TargetCPUUtilization { get; set; }
}

public sealed class DdlSpec
{
    /// <summary>Allow dropping tables and columns and retyping columns. Default false.</summary>
    [Description("Allow changes that lose data: dropping events (tables) or their columns and changing a column's type. Default: false (such changes are refused and reported in the DdlSynced condition).")]
    public bool? AllowDestructiveChanges { get; set; }
}
