using System.Text.Json;
using k8s.Models;
using Wavelet.Api.DataPlane;
using Wavelet.Api.Serialization;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Children;

/// <summary>The ConfigMap holding config.json; mounted as a directory so the data plane sees updates without a restart.</summary>
public static class ConfigMapBuilder
{
    private static readonly JsonSerializerOptions Indented = new(KubernetesJson.Options) { WriteIndented = true };

    public static V1ConfigMap Build(WaveletProject project, DataPlaneConfig config) => new()
    {
        Metadata = ProjectLabels.Metadata(project, ChildNames.ConfigMap(project)),
        Data = new Dictionary<string, string>(StringComparer.Ordinal) { [DataPlaneConfig.FileName] = Render(config) },
    };

    public static string Render(DataPlaneConfig config) => JsonSerializer.Serialize(config, Indented) + "\n";
}
