namespace Wavelet.Testing.Kubernetes.Resources;

/// <summary>
/// What the fake knows about one resource type: names, scope, whether it is a custom resource, whether /status is a
/// separate subresource, its structural schema and its printer columns (beyond Name).
/// </summary>
internal sealed record ResourceType(string Group, string Version, string Resource, string Kind, bool Namespaced, bool IsCustom, bool HasStatusSubresource)
{
    public string Singular { get; init; } = Kind.ToLowerInvariant();

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Every served version (custom resources may serve several; objects are stored once).</summary>
    public IReadOnlyList<string> ServedVersions { get; init; } = [Version];

    /// <summary>OpenAPI v3 structural schema of the object; null when the fake knows nothing about the shape.</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>Columns a Table shows after Name (custom resources: additionalPrinterColumns).</summary>
    public IReadOnlyList<PrinterColumn> Columns { get; init; } = [];

    /// <summary>Listed in discovery and OpenAPI (false for a resource the fake met only by its path).</summary>
    public bool Discoverable { get; init; } = true;

    /// <summary>A /scale subresource (autoscaling/v1 Scale over spec.replicas), as Deployments, ReplicaSets and StatefulSets have.</summary>
    public bool HasScaleSubresource { get; init; }

    public string ListKind => Kind + "List";

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string QualifiedName => Group.Length == 0 ? Resource : $"{Resource}.{Group}";

    /// <summary>Kinds with spec/status (and every custom resource) carry metadata.generation; ConfigMap, Secret, Lease, Event do not.</summary>
    public bool HasGeneration => IsCustom || HasStatusSubresource;

    public IReadOnlyList<string> Verbs { get; init; } = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    private static readonly HashSet<string> BuiltInGroups = new(StringComparer.Ordinal)
    {
        "", "apps", "policy", "autoscaling", "batch", "coordination.k8s.io", "apiextensions.k8s.io", "networking.k8s.io",
        "rbac.authorization.k8s.io", "events.k8s.io", "discovery.k8s.io", "storage.k8s.io", "admissionregistration.k8s.io",
    };

    /// <summary>A resource nobody declared: in a built-in group a plain kind, elsewhere a custom resource with /status.</summary>
    public static ResourceType Unknown(string group, string version, string resource)
    {
        var isCustom = !BuiltInGroups.Contains(group);
        return new ResourceType(group, version, resource, "", Namespaced: true, isCustom, isCustom) { Discoverable = false };
    }
}

/// <summary>One column of a Table: <paramref name="JsonPath"/> for custom resources, or a built-in cell function's name.</summary>
internal sealed record PrinterColumn(string Name, string Type, string JsonPath, string Description, int Priority = 0, string Format = "");
