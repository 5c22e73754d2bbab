namespace Wavelet.Testing.Kubernetes.Resources;

/// <summary>The built-in resource types the fake serves, with the names, scopes and short names kube-apiserver gives them.</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Core("namespaces", "Namespace", namespaced: false, status: true, shortNames: ["ns"]),
        Core("configmaps", "ConfigMap", shortNames: ["cm"]),
        Core("secrets", "Secret"),
        Core("services", "Service", status: true, shortNames: ["svc"], categories: ["all"]),
        Core("serviceaccounts", "ServiceAccount", shortNames: ["sa"]),
        Core("pods", "Pod", status: true, shortNames: ["po"], categories: ["all"]),
        Core("events", "Event", shortNames: ["ev"]),
        Typed("apps", "v1", "deployments", "Deployment", status: true, shortNames: ["deploy"], categories: ["all"]) with { HasScaleSubresource = true },
        Typed("apps", "v1", "replicasets", "ReplicaSet", status: true, shortNames: ["rs"], categories: ["all"]) with { HasScaleSubresource = true },
        Typed("apps", "v1", "statefulsets", "StatefulSet", status: true, shortNames: ["sts"], categories: ["all"]) with { HasScaleSubresource = true },
        Typed("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", status: true, shortNames: ["pdb"]),
        Typed("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", status: true, shortNames: ["hpa"], categories: ["all"]),
        Typed("coordination.k8s.io", "v1", "leases", "Lease"),
        Typed("events.k8s.io", "v1", "events", "Event", shortNames: ["ev"]),
        Typed("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", namespaced: false, status: true, shortNames: ["crd", "crds"], categories: ["api-extensions"]),
        Typed("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", namespaced: false),
        Typed("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", namespaced: false),
        Typed("rbac.authorization.k8s.io", "v1", "roles", "Role"),
        Typed("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
    ];

    private static ResourceType Core(string plural, string kind, bool namespaced = true, bool status = false, string[]? shortNames = null, string[]? categories = null) =>
        Typed("", "v1", plural, kind, namespaced, status, shortNames, categories);

    private static ResourceType Typed(
        string group, string version, string plural, string kind, bool namespaced = true, bool status = false, string[]? shortNames = null, string[]? categories = null)
    {
        var apiVersion = group.Length == 0 ? version : $"{group}/{version}";
        return new ResourceType(group, version, plural, kind, namespaced, IsCustom: false, status)
        {
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            Schema = BuiltInSchemas.For(apiVersion, kind),
            Columns = BuiltInColumns.For(kind),
        };
    }
}
