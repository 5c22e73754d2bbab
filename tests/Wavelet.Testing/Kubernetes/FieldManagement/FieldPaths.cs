namespace Wavelet.Testing.Kubernetes.FieldManagement;

/// <summary>
/// Field paths as server-side apply tracks them (the elements of managedFields' FieldsV1): <c>f:name</c> for a field,
/// <c>k:{"name":"a"}</c> for an item of a map list (identified by its keys), <c>v:"x"</c> for a value of a set list.
/// A path is its elements joined by a newline (which JSON never leaves unescaped).
/// </summary>
internal static class FieldPaths
{
    private const char Separator = '\n';
    private static readonly HashSet<string> OwnedMetadata = new(StringComparer.Ordinal) { "labels", "annotations", "finalizers", "ownerReferences" };

    /// <summary>
    /// The fields <paramref name="obj"/> sets, for top-level fields that pass <paramref name="include"/>: every leaf (scalar,
    /// empty object, atomic list, set value) and every map-list item. Under metadata only labels, annotations, finalizers
    /// and ownerReferences are owned.
    /// </summary>
    public static HashSet<string> Of(JsonObject obj, SchemaNode schema, Func<string, bool> include)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in obj)
        {
            if (name is "apiVersion" or "kind" || !include(name) || value is null)
            {
                continue;
            }

            if (name == "metadata")
            {
                if (value is JsonObject metadata)
                {
                    foreach (var (field, child) in metadata)
                    {
                        if (OwnedMetadata.Contains(field) && child is not null)
                        {
                            Collect(child, schema.Property("metadata").Property(field), $"f:metadata{Separator}f:{field}", paths);
                        }
                    }
                }

                continue;
            }

            Collect(value, schema.Property(name), "f:" + name, paths);
        }

        return paths;
    }

    private static void Collect(JsonNode? value, SchemaNode schema, string path, HashSet<string> paths)
    {
        switch (value)
        {
            case JsonObject obj when obj.Count > 0:
                foreach (var (name, child) in obj)
                {
                    if (child is not null)
                    {
                        Collect(child, schema.Property(name), path + Separator + "f:" + name, paths);
                    }
                }

                break;
            case JsonArray array when schema.ListType == "map" && schema.MapKeys.Count > 0:
                foreach (var item in array.OfType<JsonObject>())
                {
                    var itemPath = path + Separator + "k:" + Key(item, schema.MapKeys);
                    paths.Add(itemPath);
                    Collect(item, schema.Items, itemPath, paths);
                }

                break;
            case JsonArray array when schema.ListType == "set":
                foreach (var item in array)
                {
                    paths.Add(path + Separator + "v:" + (item?.ToJsonString() ?? "null"));
                }

                break;
            default:
                paths.Add(path);
                break;
        }
    }

    /// <summary>The key of a map-list item as FieldsV1 writes it: its key fields as a JSON object with sorted names.</summary>
    public static string Key(JsonObject item, IReadOnlyList<string> keys)
    {
        var key = new JsonObject();
        foreach (var name in keys.Order(StringComparer.Ordinal))
        {
            if (item[name] is { } value)
            {
                key[name] = value.DeepClone();
            }
        }

        return key.ToJsonString();
    }

    public static string[] Elements(string path) => path.Split(Separator);

    public static string Parent(string path) => path.LastIndexOf(Separator) is var i and >= 0 ? path[..i] : "";

    /// <summary>Whether <paramref name="path"/> lies at or under <paramref name="prefix"/>.</summary>
    public static bool Within(string path, string prefix) =>
        path == prefix || path.StartsWith(prefix + Separator, StringComparison.Ordinal);

    /// <summary>The value at <paramref name="path"/>; <paramref name="found"/> is false when it is absent.</summary>
    public static JsonNode? Get(JsonNode? root, string path, out bool found)
    {
        var node = root;
        foreach (var element in Elements(path))
        {
            node = Step(node, element, out var index);
            if (index < 0)
            {
                found = false;
                return null;
            }
        }

        found = true;
        return node;
    }

    /// <summary>Removes the field, item or set value at <paramref name="path"/>; false when it was not there.</summary>
    public static bool Remove(JsonNode? root, string path)
    {
        var elements = Elements(path);
        var parent = root;
        foreach (var element in elements[..^1])
        {
            parent = Step(parent, element, out var index);
            if (index < 0)
            {
                return false;
            }
        }

        var last = elements[^1];
        switch (parent)
        {
            case JsonObject obj when last.StartsWith("f:", StringComparison.Ordinal):
                return obj.Remove(last[2..]);
            case JsonArray array:
                Step(array, last, out var at);
                if (at < 0)
                {
                    return false;
                }

                array.RemoveAt(at);
                return true;
            default:
                return false;
        }
    }

    /// <summary>FieldsV1: the paths as a tree of <c>f:</c>/<c>k:</c>/<c>v:</c> members, <c>".": {}</c> marking an owned item.</summary>
    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var element in Elements(path))
            {
                if (node[element] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[element] = child;
                }

                node = child;
            }

            if (path.Contains("k:", StringComparison.Ordinal) && Elements(path)[^1].StartsWith("k:", StringComparison.Ordinal))
            {
                node["."] ??= new JsonObject();
            }
        }

        return root;
    }

    /// <summary>How the API server names a field in a conflict: <c>.spec.containers[name="app"].image</c>.</summary>
    public static string Display(string path)
    {
        var text = new StringBuilder();
        foreach (var element in Elements(path))
        {
            if (element.StartsWith("f:", StringComparison.Ordinal))
            {
                text.Append('.').Append(element[2..]);
            }
            else if (element.StartsWith("k:", StringComparison.Ordinal))
            {
                var key = (JsonObject)JsonNode.Parse(element[2..])!;
                text.Append('[').Append(string.Join(",", key.Select(p => $"{p.Key}={p.Value?.ToJsonString()}"))).Append(']');
            }
            else
            {
                text.Append("[=").Append(element[2..]).Append(']');
            }
        }

        return text.ToString();
    }

    // Steps into one element; index is the position found (0 for a field) or -1 when absent.
    private static JsonNode? Step(JsonNode? node, string element, out int index)
    {
        index = -1;
        if (element.StartsWith("f:", StringComparison.Ordinal))
        {
            if (node is JsonObject obj && obj.TryGetPropertyValue(element[2..], out var child))
            {
                index = 0;
                return child;
            }

            return null;
        }

        if (node is not JsonArray array)
        {
            return null;
        }

        if (element.StartsWith("k:", StringComparison.Ordinal))
        {
            var key = (JsonObject)JsonNode.Parse(element[2..])!;
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonObject item && key.All(p => JsonNode.DeepEquals(item[p.Key], p.Value)))
                {
                    index = i;
                    return item;
                }
            }

            return null;
        }

        var value = JsonNode.Parse(element[2..]);
        for (var i = 0; i < array.Count; i++)
        {
            if (JsonNode.DeepEquals(array[i], value))
            {
                index = i;
                return array[i];
            }
        }

        return null;
    }
}
