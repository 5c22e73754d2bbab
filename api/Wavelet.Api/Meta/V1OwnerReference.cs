namespace Wavelet.Api.Meta;

/// <summary>An owner reference; with <see cref="Controller"/> true the owner's deletion garbage-collects this object.</summary>
public sealed class V1OwnerReference
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public string Uid { get; set; } = "";
    public bool? Controller { get; set; }
    public bool? BlockOwnerDeletion { get; set; }
}
