using System.Text.Json.Nodes;
using Wavelet.Api.Serialization;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Status;

/// <summary>Decides whether a status write is needed: the serialised forms are compared, so an unchanged status is never written.</summary>
public static class StatusComparer
{
    public static bool AreEqual(WaveletProjectStatus? a, WaveletProjectStatus? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return JsonNode.DeepEquals(JsonNode.Parse(KubernetesJson.Serialize(a)), JsonNode.Parse(KubernetesJson.Serialize(b)));
    }

    public static WaveletProjectStatus Clone(WaveletProjectStatus? status) =>
        status is null ? new WaveletProjectStatus() : KubernetesJson.Deserialize<WaveletProjectStatus>(KubernetesJson.Serialize(status)) ?? new();
}
