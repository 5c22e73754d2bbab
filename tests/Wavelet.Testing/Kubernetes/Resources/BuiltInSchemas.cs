using System.Reflection;
using Wavelet.Testing.Kubernetes.Serialization;

namespace Wavelet.Testing.Kubernetes.Resources;

/// <summary>The structural schemas of built-in kinds, from the embedded builtin-schemas.yaml.</summary>
internal static class BuiltInSchemas
{
    private static readonly Lazy<JsonObject> Kinds = new(Load);

    /// <summary>The schema of <paramref name="kind"/> in <paramref name="apiVersion"/>, or null when the file has none.</summary>
    public static JsonObject? For(string apiVersion, string kind)
    {
        var kinds = Kinds.Value;
        var node = kinds[$"{kind}[{apiVersion}]"] ?? kinds[kind];
        return node?.DeepClone() as JsonObject;
    }

    private static JsonObject Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Wavelet.Testing.Kubernetes.Resources.builtin-schemas.yaml")
            ?? throw new InvalidOperationException("builtin-schemas.yaml is not embedded in Wavelet.Testing");
        using var reader = new StreamReader(stream);
        var document = YamlJson.ParseObject(reader.ReadToEnd());
        return document["kinds"] as JsonObject ?? throw new InvalidOperationException("builtin-schemas.yaml has no kinds");
    }
}
