namespace Wavelet.Testing.Kubernetes;

/// <summary>What the fake knows about a resource type: its kind, whether it is a custom resource, whether /status is separate.</summary>
public sealed record FakeResourceInfo(string Group, string Resource, string Kind, bool IsCustom, bool HasStatusSubresource)
{
    public string QualifiedName => Group.Length == 0 ? Resource : $"{Resource}.{Group}";

    /// <summary>Built-in kinds without spec/status (ConfigMap, Secret, Lease, Event) carry no metadata.generation.</summary>
    public bool HasGeneration => IsCustom || HasStatusSubresource;

    private static readonly HashSet<string> BuiltInGroups = new(StringComparer.Ordinal)
    {
        "", "apps", "policy", "autoscaling", "batch", "coordination.k8s.io", "apiextensions.k8s.io", "networking.k8s.io",
        "rbac.authorization.k8s.io", "events.k8s.io", "discovery.k8s.io", "storage.k8s.io", "admissionregistration.k8s.io",
    };

    private static readonly Dictionary<(string, string), (string Kind, bool Status)> BuiltIns = new()
    {
        [("", "configmaps")] = ("ConfigMap", false),
        [("", "secrets")] = ("Secret", false),
        [("", "services")] = ("Service", true),
        [("", "pods")] = ("Pod", true),
        [("", "events")] = ("Event", false),
        [("", "namespaces")] = ("Namespace", true),
        [("", "serviceaccounts")] = ("ServiceAccount", false),
        [("apps", "deployments")] = ("Deployment", true),
        [("apps", "statefulsets")] = ("StatefulSet", true),
        [("apps", "replicasets")] = ("ReplicaSet", true),
        [("policy", "poddisruptionbudgets")] = ("PodDisruptionBudget", true),
        [("autoscaling", "horizontalpodautoscalers")] = ("HorizontalPodAutoscaler", true),
        [("coordination.k8s.io", "leases")] = ("Lease", false),
        [("apiextensions.k8s.io", "customresourcedefinitions")] = ("CustomResourceDefinition", true),
        [("events.k8s.io", "events")] = ("Event", false),
    };

    /// <summary>Defaults for a resource nobody registered: built-ins from a table; anything else is a custom resource with a status subresource.</summary>
    public static FakeResourceInfo Default(string group, string resource)
    {
        if (BuiltIns.TryGetValue((group, resource), out var builtIn))
        {
            return new FakeResourceInfo(group, resource, builtIn.Kind, false, builtIn.Status);
        }

        var isCustom = !BuiltInGroups.Contains(group);
        return new FakeResourceInfo(group, resource, "", isCustom, isCustom);
    }
}
