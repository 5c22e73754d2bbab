using Wavelet.Api.Meta;

namespace Wavelet.Api.V1Alpha1;

/// <summary>A Wavelet project: events (tables), live queries (materialized views with subscriptions) and the data plane that serves them.</summary>
public sealed class WaveletProject : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = WaveletGroup.ApiVersion;
    public string Kind { get; set; } = WaveletGroup.Kind;
    public V1ObjectMeta Metadata { get; set; } = new();
    public WaveletProjectSpec Spec { get; set; } = new();
    public WaveletProjectStatus? Status { get; set; }
}

public sealed class WaveletProjectList : IKubernetesObject<V1ListMeta>
{
    public string ApiVersion { get; set; } = WaveletGroup.ApiVersion;
    public string Kind { get; set; } = WaveletGroup.ListKind;
    public V1ListMeta Metadata { get; set; } = new();
    public List<WaveletProject> Items { get; set; } = [];
}

public sealed class V1ListMeta
{
    public string? ResourceVersion { get; set; }
    public string? Continue { get; set; }
}
