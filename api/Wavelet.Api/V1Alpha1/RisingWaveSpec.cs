namespace Wavelet.Api.V1Alpha1;

public sealed class RisingWaveSpec
{
    /// <summary>Secret key holding a postgres:// URL of the RisingWave frontend.</summary>
    public SecretKeySelector ConnectionSecretRef { get; set; } = new();

    /// <summary>Schema the project owns; default: the resource name with '-' replaced by '_'.</summary>
    public string? Schema { get; set; }

    /// <summary>Subscription retention, e.g. 24h, 30m, 2d. Default 24h.</summary>
    public string? SubscriptionRetention { get; set; }
}
