using System.Text.Json.Nodes;

namespace Wavelet.CrdGen;

/// <summary>
/// Schemas of the apimachinery types the CRD embeds. KubernetesClient's models carry no schema attributes, so the
/// metav1.Condition schema is written out here (the fields, bounds and enum of the upstream type).
/// </summary>
public static class MetaV1Schemas
{
    public static JsonObject Condition() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["type"] = Text("Condition type in CamelCase, e.g. Ready.", maxLength: 316),
            ["status"] = new JsonObject
            {
                ["description"] = "True, False or Unknown.",
                ["type"] = "string",
                ["enum"] = new JsonArray("True", "False", "Unknown"),
            },
            ["observedGeneration"] = new JsonObject
            {
                ["description"] = "metadata.generation the condition was set for.",
                ["type"] = "integer",
                ["format"] = "int64",
            },
            ["lastTransitionTime"] = new JsonObject
            {
                ["description"] = "When status last changed.",
                ["type"] = "string",
                ["format"] = "date-time",
            },
            ["reason"] = Text("Machine-readable reason in CamelCase.", maxLength: 1024),
            ["message"] = Text("Human-readable explanation, with what to do when something is wrong.", maxLength: 32768),
        },
        ["required"] = new JsonArray("type", "status", "lastTransitionTime", "reason", "message"),
    };

    private static JsonObject Text(string description, int maxLength) => new()
    {
        ["description"] = description,
        ["type"] = "string",
        ["maxLength"] = maxLength,
    };
}
