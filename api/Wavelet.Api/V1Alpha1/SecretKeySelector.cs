namespace Wavelet.Api.V1Alpha1;

/// <summary>A key of a Secret in the project's namespace.</summary>
public sealed class SecretKeySelector
{
    [Required, MinLength(1), MaxLength(253)]
    [Description("Name of a Secret in the WaveletProject's namespace.")]
    public string Name { get; set; } = "";

    [Required, MinLength(1), MaxLength(253)]
    [Description("Key within the Secret's data.")]
    public string Key { get; set; } = "";
}
