namespace Wavelet.Testing.Kubernetes.Patching;

/// <summary>JSON merge patch (RFC 7386) and the field paths used by the server-side apply approximation.</summary>
internal static class JsonTools
{
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var merged = MergePatch(result[key], value);
                result[key] = merged;
            }
        }

        return result;
    }

    /// <summary>
    /// The leaf field paths an apply intent sets: objects are descended into, lists and scalars are atomic leaves,
    /// an empty object is a leaf. Under metadata only labels, annotations, finalizers and ownerReferences count.
    /// </summary>
    public static List<string[]> Leaves(JsonObject intent, Func<string, bool> includeTopLevel)
    {
        var leaves = new List<string[]>();
        foreach (var (key, value) in intent)
        {
            if (key is "apiVersion" or "kind" || !includeTopLevel(key) || value is null)
            {
                continue;
            }

            if (key == "metadata")
            {
                if (value is JsonObject metadata)
                {
                    foreach (var (metaKey, metaValue) in metadata)
                    {
                        if (metaKey is "labels" or "annotations" && metaValue is JsonObject map)
                        {
                            Collect(map, ["metadata", metaKey], leaves);
                        }
                        else if (metaKey is "finalizers" or "ownerReferences" && metaValue is not null)
                        {
                            leaves.Add(["metadata", metaKey]);
                        }
                    }
                }

                continue;
            }

            if (value is JsonObject child && child.Count > 0)
            {
                Collect(child, [key], leaves);
            }
            else
            {
                leaves.Add([key]);
            }
        }

        return leaves;
    }

    public static string Key(string[] path) => string.Join('\u001f', path);

    public static string[] FromKey(string key) => key.Split('\u001f');

    public static string Display(string[] path) => "." + string.Join('.', path);

    public static JsonNode? Get(JsonNode? root, string[] path)
    {
        var node = root;
        foreach (var segment in path)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(segment, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static void Set(JsonObject root, string[] path, JsonNode? value)
    {
        var node = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (node[path[i]] is not JsonObject next)
            {
                next = new JsonObject();
                node[path[i]] = next;
            }

            node = next;
        }

        node[path[^1]] = value?.DeepClone();
    }

    public static void Remove(JsonObject root, string[] path)
    {
        if (Get(root, path[..^1]) is JsonObject parent)
        {
            parent.Remove(path[^1]);
        }
    }

    private static void Collect(JsonObject obj, string[] prefix, List<string[]> leaves)
    {
        foreach (var (key, value) in obj)
        {
            string[] path = [.. prefix, key];
            if (value is JsonObject child && child.Count > 0)
            {
                Collect(child, path, leaves);
            }
            else if (value is not null)
            {
                leaves.Add(path);
            }
        }
    }
}
