using k8s;
using k8s.Models;

namespace Wavelet.Api.V1Alpha1;

/// <summary>A Wavelet project: events (tables), live queries (materialized views with subscriptions) and the data plane that serves them.</summary>
[Description("A Wavelet project: event streams (tables), live queries (materialized views with subscriptions) and the data plane that serves them to apps over WebSocket and HTTP.")]
[KubernetesEntity(Group = WaveletGroup.Group, ApiVersion = WaveletGroup.Version, Kind = WaveletGroup.Kind, PluralName = WaveletGroup.Plural)]
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
