namespace Wavelet.Api.DataPlane;

/// <summary>
/// Environment variable names through which a rendered data-plane config refers to secret values: the config holds only
/// these names, the pod (or `wavelet dev`) supplies the values.
/// </summary>
public static class DataPlaneEnvironment
{
    public const string ConfigPath = "WAVELET_CONFIG_PATH";
    public const string DatabaseUrl = "WAVELET_DATABASE_URL";
    public const string JwtSecret = "WAVELET_JWT_SECRET";
    public const string WebhookSecretPrefix = "WAVELET_WEBHOOK_SECRET_";

    /// <summary>
    /// Port of the management listener (/healthz, /livez, /readyz, /metrics); unset serves them on the client port,
    /// 0 picks a free port. Same as the DataPlane:ManagementPort setting.
    /// </summary>
    public const string ManagementPort = "WAVELET_MANAGEMENT_PORT";

    /// <summary>The management port the image and the operator's Deployment use.</summary>
    public const int DefaultManagementPort = 9090;

    public static string WebhookSecret(string queryName)
    {
        ArgumentNullException.ThrowIfNull(queryName);
        return WebhookSecretPrefix + queryName.ToUpperInvariant();
    }
}
