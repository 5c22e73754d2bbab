using k8s.Models;
using Wavelet.Api;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Children;

/// <summary>The app.kubernetes.io/* labels and the controller owner reference every child carries.</summary>
public static class ProjectLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    public const string AppName = "wavelet";
    public const string DataPlaneComponent = "dataplane";
    public const string Manager = "wavelet-operator";

    /// <summary>Label selector that finds every object the operator manages (used by the informers).</summary>
    public const string ManagedSelector = ManagedBy + "=" + Manager;

    /// <summary>The immutable Deployment selector: stable across operator versions.</summary>
    public static Dictionary<string, string> Selector(WaveletProject project) => new(StringComparer.Ordinal)
    {
        [Name] = AppName,
        [Instance] = project.Metadata.Name ?? "",
        [Component] = DataPlaneComponent,
    };

    public static Dictionary<string, string> Standard(WaveletProject project)
    {
        var labels = Selector(project);
        labels[PartOf] = AppName;
        labels[ManagedBy] = Manager;
        return labels;
    }

    public static V1ObjectMeta Metadata(WaveletProject project, string name, IDictionary<string, string>? annotations = null) => new()
    {
        Name = name,
        NamespaceProperty = project.Metadata.NamespaceProperty,
        Labels = Standard(project),
        Annotations = annotations is { Count: > 0 } ? annotations : null,
        OwnerReferences = [Owner(project)],
    };

    public static V1OwnerReference Owner(WaveletProject project) => new()
    {
        ApiVersion = WaveletGroup.ApiVersion,
        Kind = WaveletGroup.Kind,
        Name = project.Metadata.Name ?? "",
        Uid = project.Metadata.Uid ?? "",
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
