using System.Security.Cryptography;
using System.Text;
using Wavelet.Api.Serialization;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Children;

/// <summary>
/// Hash of what the running pods cannot pick up live: the image, the referenced Secrets' resourceVersions (env vars are read at
/// start) and the resources. Stored as a pod-template annotation so a change rolls the pods; query changes are not in it.
/// </summary>
public static class RestartHash
{
    public const string Annotation = "wavelet.risingwave.com/restart-hash";

    public static string Compute(string image, IReadOnlyDictionary<string, string> secretVersions, ResourceRequirements? resources)
    {
        ArgumentNullException.ThrowIfNull(secretVersions);
        var text = new StringBuilder();
        text.Append("image=").Append(image).Append('\n');
        foreach (var (name, version) in secretVersions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("secret=").Append(name).Append('@').Append(version).Append('\n');
        }

        text.Append("resources=").Append(resources is null ? "" : KubernetesJson.Serialize(resources)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
