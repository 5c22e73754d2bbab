using Wavelet.Testing.Kubernetes.Patching;

namespace Wavelet.Testing.Kubernetes.Store;

/// <summary>The /scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and StatefulSets, as kubectl scale uses it.</summary>
internal sealed partial class FakeKubernetesStore
{
    /// <summary>PUT or PATCH of /scale: only spec.replicas of the Scale is taken, and written to the object's spec.replicas.</summary>
    public WriteResult WriteScale(FakeApiPath path, string? patchType, JsonNode body, WriteOptions options)
    {
        lock (_gate)
        {
            var type = Type(path);
            if (!type.HasScaleSubresource)
            {
                throw FakeApiError.NotFound(type, path.Name + "/scale");
            }

            var stored = Find(path, type);
            var current = Scale(stored.Object);
            var scale = patchType switch
            {
                null => body as JsonObject,
                "application/merge-patch+json" or "application/strategic-merge-patch+json" => JsonTools.MergePatch(current, body) as JsonObject,
                "application/json-patch+json" when body is JsonArray operations => JsonPatch.Apply(current, operations) as JsonObject,
                _ => throw new FakeApiError(415, "UnsupportedMediaType", $"the scale subresource does not take {patchType}"),
            } ?? throw FakeApiError.BadRequest("the scale must be an object");
            var replicas = scale["spec"]?["replicas"] is JsonValue value && int.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw FakeApiError.Invalid(type, path.Name!, "spec.replicas", "Invalid value: must be greater than or equal to 0");
            var updated = (JsonObject)stored.Object.DeepClone();
            updated["spec"] ??= new JsonObject();
            updated["spec"]!["replicas"] = replicas;
            var main = path with { Subresource = null };
            var result = UpdateLocked(Key(path, path.Name!), type, main, stored, updated, options, null);
            return result with { Object = Scale(result.Object) };
        }
    }

    private static JsonObject Scale(JsonObject obj)
    {
        var metadata = obj["metadata"]!;
        var selector = obj["spec"]?["selector"]?["matchLabels"] as JsonObject;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = obj["spec"]?["replicas"]?.DeepClone() ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = obj["status"]?["replicas"]?.DeepClone() ?? 0,
                ["selector"] = selector is null ? "" : string.Join(",", selector.Select(p => $"{p.Key}={p.Value}")),
            },
        };
    }
}
