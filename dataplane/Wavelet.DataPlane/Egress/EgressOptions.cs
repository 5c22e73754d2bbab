namespace Wavelet.DataPlane.Egress;

/// <summary>
/// Which addresses the data plane may connect to for webhooks and JWKS (configuration section <c>DataPlane:Egress</c>).
/// Link-local (cloud metadata), unspecified and multicast addresses are always refused.
/// </summary>
public sealed class EgressOptions
{
    public const string Section = "DataPlane:Egress";

    /// <summary>Private and cluster ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). The operator sets it from its own setting.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>127/8 and ::1: the pod itself. Only for local development and tests.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Largest response body read from a JWKS URL.</summary>
    public long MaxJwksBytes { get; set; } = 256 * 1024;
}
