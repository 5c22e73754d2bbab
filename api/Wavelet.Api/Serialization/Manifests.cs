using k8s.Models;

namespace Wavelet.Api.Serialization;

/// <summary>What a manifest file holds: WaveletProjects, Secrets, and any other objects (kept as JSON).</summary>
public sealed class Manifests
{
    public List<WaveletProject> Projects { get; } = [];
    public List<V1Secret> Secrets { get; } = [];
    public List<JsonObject> Others { get; } = [];

    /// <summary>The Secret named <paramref name="name"/> (in <paramref name="namespace"/> when the Secret names one).</summary>
    public V1Secret? FindSecret(string name, string? @namespace = null) =>
        Secrets.FirstOrDefault(s => s.Metadata.Name == name
            && (string.IsNullOrEmpty(@namespace) || string.IsNullOrEmpty(s.Metadata.NamespaceProperty) || s.Metadata.NamespaceProperty == @namespace));
}
