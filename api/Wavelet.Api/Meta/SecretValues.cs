using System.Text;
using k8s.Models;

namespace Wavelet.Api.Meta;

/// <summary>Reads a Secret's values the way the API server merges them: stringData wins over data.</summary>
public static class SecretValues
{
    /// <summary>The value of <paramref name="key"/> as UTF-8 text, from stringData (manifests) or data (the API server).</summary>
    public static bool TryGetValue(this V1Secret secret, string key, out string value)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.StringData is not null && secret.StringData.TryGetValue(key, out var plain))
        {
            value = plain;
            return true;
        }

        if (secret.Data is not null && secret.Data.TryGetValue(key, out var bytes) && bytes is not null)
        {
            value = Encoding.UTF8.GetString(bytes);
            return true;
        }

        value = "";
        return false;
    }
}
