namespace Wavelet.Testing.Kubernetes.Patching;

/// <summary>JSON patch (RFC 6902) over JSON pointers (RFC 6901): add, remove, replace, move, copy, test.</summary>
internal static class JsonPatch
{
    /// <summary>The patched copy of <paramref name="target"/>; <see cref="FormatException"/> names the failing operation.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonArray operations)
    {
        var document = target?.DeepClone();
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject operation)
            {
                throw new FormatException($"operation {i} is not an object");
            }

            var op = Text(operation, "op", i);
            var path = Text(operation, "path", i);
            switch (op)
            {
                case "add":
                    document = Add(document, path, Value(operation, i));
                    break;
                case "remove":
                    Remove(document, path, i);
                    break;
                case "replace":
                    Remove(document, path, i);
                    document = Add(document, path, Value(operation, i));
                    break;
                case "move":
                    var from = Text(operation, "from", i);
                    var moved = Get(document, from, i);
                    Remove(document, from, i);
                    document = Add(document, path, moved);
                    break;
                case "copy":
                    document = Add(document, path, Get(document, Text(operation, "from", i), i));
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path, i), Value(operation, i)))
                    {
                        throw new FormatException($"testing value {path} failed");
                    }

                    break;
                default:
                    throw new FormatException($"Unexpected kind: {op}");
            }
        }

        return document;
    }

    private static string Text(JsonObject operation, string name, int index) =>
        operation[name]?.GetValue<string>() ?? throw new FormatException($"operation {index} has no \"{name}\"");

    private static JsonNode? Value(JsonObject operation, int index) =>
        operation.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw new FormatException($"operation {index} has no \"value\"");

    private static string[] Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (!pointer.StartsWith('/'))
        {
            throw new FormatException($"JSON pointer must start with '/': {pointer}");
        }

        return [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? Get(JsonNode? document, string pointer, int index)
    {
        var node = document;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject obj when obj.TryGetPropertyValue(token, out var child) => child,
                JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                _ => throw new FormatException($"operation {index}: path {pointer} does not exist"),
            };
        }

        return node?.DeepClone();
    }

    private static JsonNode? Add(JsonNode? document, string pointer, JsonNode? value)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
        {
            return value;
        }

        var parent = Parent(document, tokens, pointer);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= array.Count:
                array.Insert(i, value);
                break;
            default:
                throw new FormatException($"add operation does not apply: doc is missing path: \"{pointer}\"");
        }

        return document;
    }

    private static void Remove(JsonNode? document, string pointer, int index)
    {
        var tokens = Tokens(pointer);
        var parent = Parent(document, tokens, pointer);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                obj.Remove(last);
                break;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count:
                array.RemoveAt(i);
                break;
            default:
                throw new FormatException($"operation {index}: unable to remove nonexistent key: {last}: missing value");
        }
    }

    private static JsonNode? Parent(JsonNode? document, string[] tokens, string pointer)
    {
        var node = document;
        foreach (var token in tokens[..^1])
        {
            node = node switch
            {
                JsonObject obj when obj[token] is { } child => child,
                JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                _ => throw new FormatException($"doc is missing path: \"{pointer}\""),
            };
        }

        return node;
    }
}
