using System.Reflection;
using k8s.Models;

namespace Wavelet.Operator.Kubernetes;

/// <summary>Where a model's objects live in the API, read from the <see cref="KubernetesEntityAttribute"/> the model carries.</summary>
public sealed record ResourceKind(string Group, string Version, string Plural, string Kind)
{
    /// <summary>"v1" for the core group, "group/version" otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public static ResourceKind Of(Type model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entity = model.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{model.Name} has no [KubernetesEntity]: its group, version and plural are unknown.");
        return new ResourceKind(entity.Group ?? "", entity.ApiVersion, entity.PluralName, entity.Kind);
    }

    public override string ToString() => Group.Length == 0 ? $"{Plural}.{Version}" : $"{Plural}.{Version}.{Group}";
}
