using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Wavelet.Api.Meta;

namespace Wavelet.Api.V1Alpha1;

/// <summary>A Wavelet project: events (tables), live queries (materialized views with subscriptions) and the data plane that serves them.</summary>
[Description("A Wavelet project: event streams (tables), live queries (materialized views with subscriptions) and the data plane that serves them to apps over WebSocket and HTTP.")]
public sealed class WaveletProject : IKubernetesObject<V1ObjectMeta>
{
    [Description("APIVersion defines the versioned schema of this representation of an object.")]
    public string ApiVersion { get; set; } = WaveletGroup.ApiVersion;

    [Description("Kind is a string value representing the REST resource this object represents.")]
    public string Kind { get; set; } = WaveletGroup.Kind;

    [Description("Standard object metadata.")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [Required]
    [Description("The desired project: where its schema lives, its events and queries, authentication and how the data plane runs.")]
    public WaveletProjectSpec Spec { get; set; } = new();

    [Description("What the operator observed: conditions, the data-plane endpoint and replicas, and the columns RisingWave reports.")]
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
