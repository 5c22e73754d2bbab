namespace Wavelet.Api.V1Alpha1;

/// <summary>A key of a Secret in the project's namespace.</summary>
public sealed class SecretKeySelector
{
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";
}
