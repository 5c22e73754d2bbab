using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Kubernetes;

/// <summary>A list response: items plus the list's resourceVersion and continue token.</summary>
public sealed class KubernetesList<T>
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public V1ListMeta Metadata { get; set; } = new();
    public List<T> Items { get; set; } = [];
}
