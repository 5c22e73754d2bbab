using System.Text.Json.Nodes;

namespace Wavelet.Operator.Reconciliation;

/// <summary>
/// Whether every field the operator wants is already present with the same value. Fields the API server or other managers
/// added are ignored, so a converged object needs no write (server-side apply would be a no-op, but still a request).
/// </summary>
public static class JsonSubset
{
    public static bool Contains(JsonNode? actual, JsonNode? desired)
    {
        switch (desired)
        {
            case null:
                return true;
            case JsonObject desiredObject:
                if (actual is not JsonObject actualObject)
                {
                    return false;
                }

                foreach (var (key, value) in desiredObject)
                {
                    if (!actualObject.TryGetPropertyValue(key, out var actualValue) || !Contains(actualValue, value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray desiredArray:
                if (actual is not JsonArray actualArray || actualArray.Count != desiredArray.Count)
                {
                    return false;
                }

                for (var i = 0; i < desiredArray.Count; i++)
                {
                    if (!Contains(actualArray[i], desiredArray[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return actual is JsonValue && JsonNode.DeepEquals(actual, desired);
        }
    }
}
