namespace Wavelet.Api.Meta;

/// <summary>Kubernetes object metadata (the subset this project reads and writes). Mirrors k8s.Models.V1ObjectMeta.</summary>
public sealed class V1ObjectMeta
{
    public string? Name { get; set; }
    public string? GenerateName { get; set; }
    public string? NamespaceProperty { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public long? Generation { get; set; }
    public DateTimeOffset? CreationTimestamp { get; set; }
    public DateTimeOffset? DeletionTimestamp { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public List<string>? Finalizers { get; set; }
    public List<V1OwnerReference>? OwnerReferences { get; set; }
}
