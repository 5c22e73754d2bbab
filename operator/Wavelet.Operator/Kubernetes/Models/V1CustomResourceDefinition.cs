using System.Text.Json.Nodes;
using Wavelet.Api.Meta;

namespace Wavelet.Operator.Kubernetes;

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinition: the parts the operator reads or installs; schemas stay raw JSON.</summary>
public sealed class V1CustomResourceDefinition : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeApiVersion = "apiextensions.k8s.io/v1";
    public const string KubeKind = "CustomResourceDefinition";

    public string ApiVersion { get; set; } = KubeApiVersion;
    public string Kind { get; set; } = KubeKind;
    public V1ObjectMeta Metadata { get; set; } = new();
    public V1CustomResourceDefinitionSpec Spec { get; set; } = new();
    public V1CustomResourceDefinitionStatus? Status { get; set; }

    /// <summary>True once the API server serves the resource (condition Established=True).</summary>
    public bool IsEstablished() =>
        Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == ConditionStatus.True) == true;
}

public sealed class V1CustomResourceDefinitionSpec
{
    public string Group { get; set; } = "";
    public V1CustomResourceDefinitionNames Names { get; set; } = new();

    /// <summary>Namespaced or Cluster.</summary>
    public string Scope { get; set; } = "Namespaced";

    public List<V1CustomResourceDefinitionVersion> Versions { get; set; } = [];
}

public sealed class V1CustomResourceDefinitionNames
{
    public string Plural { get; set; } = "";
    public string? Singular { get; set; }
    public string Kind { get; set; } = "";
    public string? ListKind { get; set; }
    public List<string>? ShortNames { get; set; }
    public List<string>? Categories { get; set; }
}

public sealed class V1CustomResourceDefinitionVersion
{
    public string Name { get; set; } = "";
    public bool Served { get; set; }
    public bool Storage { get; set; }

    /// <summary>{"openAPIV3Schema": {...}} kept as JSON.</summary>
    public JsonObject? Schema { get; set; }

    /// <summary>{"status": {}, "scale": {...}} kept as JSON.</summary>
    public JsonObject? Subresources { get; set; }

    public JsonArray? AdditionalPrinterColumns { get; set; }
}

public sealed class V1CustomResourceDefinitionStatus
{
    public List<V1CustomResourceDefinitionCondition>? Conditions { get; set; }
    public List<string>? StoredVersions { get; set; }
}

public sealed class V1CustomResourceDefinitionCondition
{
    public string Type { get; set; } = "";
    public string Status { get; set; } = "";
    public string? Reason { get; set; }
    public string? Message { get; set; }
}
