using System.Text;

namespace Wavelet.Api.Meta;

/// <summary>A core/v1 Secret (the fields this project reads). Mirrors k8s.Models.V1Secret.</summary>
public sealed class V1Secret : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "v1";
    public string Kind { get; set; } = "Secret";
    public V1ObjectMeta Metadata { get; set; } = new();
    public string? Type { get; set; }

    /// <summary>Base64-encoded values, as the API server returns them.</summary>
    public Dictionary<string, string>? Data { get; set; }

    /// <summary>Plain values; write-only on a real API server, common in manifests.</summary>
    public Dictionary<string, string>? StringData { get; set; }

    /// <summary>The decoded value of <paramref name="key"/> (stringData wins over data, as on the API server).</summary>
    public bool TryGetValue(string key, out string value)
    {
        if (StringData is not null && StringData.TryGetValue(key, out var plain))
        {
            value = plain;
            return true;
        }

        if (Data is not null && Data.TryGetValue(key, out var encoded))
        {
            try
            {
                value = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                return true;
            }
            catch (FormatException)
            {
                // Not base64: treat as absent; the caller reports the missing key.
            }
        }

        value = "";
        return false;
    }
}
