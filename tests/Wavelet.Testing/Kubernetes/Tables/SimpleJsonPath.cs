namespace Wavelet.Testing.Kubernetes.Tables;

/// <summary>
/// The "simple JSON path" of additionalPrinterColumns: <c>.a.b</c>, <c>['a']</c>, <c>[0]</c>, <c>[*]</c> and filters
/// <c>[?(@.type=="Ready")]</c> (== and != against a string or number).
/// </summary>
internal static class SimpleJsonPath
{
    /// <summary>Every value <paramref name="path"/> selects in <paramref name="root"/>, in document order.</summary>
    public static IReadOnlyList<JsonNode?> Select(JsonNode? root, string path)
    {
        IReadOnlyList<JsonNode?> current = [root];
        var text = path.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1];
        }

        var i = text.StartsWith('$') ? 1 : 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var end = i + 1;
                while (end < text.Length && text[end] is not ('.' or '['))
                {
                    end++;
                }

                var name = text[(i + 1)..end];
                current = [.. current.Select(n => n is JsonObject o && o.TryGetPropertyValue(name, out var child) ? (true, child) : (false, null)).Where(r => r.Item1).Select(r => r.Item2)];
                i = end;
            }
            else if (text[i] == '[')
            {
                var end = Close(text, i);
                current = Bracket(current, text[(i + 1)..end]);
                i = end + 1;
            }
            else
            {
                throw new FormatException($"unexpected '{text[i]}' at {i} in JSON path {path}");
            }
        }

        return current;
    }

    private static int Close(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '[')
            {
                depth++;
            }
            else if (text[i] == ']' && --depth == 0)
            {
                return i;
            }
            else if (text[i] is '"' or '\'')
            {
                var quote = text[i];
                i++;
                while (i < text.Length && text[i] != quote)
                {
                    i++;
                }
            }
        }

        throw new FormatException($"unclosed '[' in JSON path {text}");
    }

    private static List<JsonNode?> Bracket(IReadOnlyList<JsonNode?> current, string inner)
    {
        inner = inner.Trim();
        if (inner == "*")
        {
            return [.. current.SelectMany(n => n switch
            {
                JsonArray a => a.AsEnumerable(),
                JsonObject o => o.Select(p => p.Value),
                _ => [],
            })];
        }

        if (inner.StartsWith('\'') || inner.StartsWith('"'))
        {
            var name = inner[1..^1];
            return [.. current.OfType<JsonObject>().Where(o => o.ContainsKey(name)).Select(o => o[name])];
        }

        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            var filter = inner[2..^1];
            return [.. current.OfType<JsonArray>().SelectMany(a => a).Where(item => Matches(item, filter))];
        }

        if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            return [.. current.OfType<JsonArray>().Where(a => index < a.Count && index >= -a.Count).Select(a => a[index < 0 ? a.Count + index : index])];
        }

        throw new FormatException($"unsupported JSON path element [{inner}]");
    }

    private static bool Matches(JsonNode? item, string filter)
    {
        var (op, at) = filter.Contains("!=", StringComparison.Ordinal) ? ("!=", filter.IndexOf("!=", StringComparison.Ordinal)) : ("==", filter.IndexOf("==", StringComparison.Ordinal));
        if (at < 0)
        {
            var exists = filter.Trim();
            return exists.StartsWith('@') && Select(item, exists[1..]).Count > 0;
        }

        var left = filter[..at].Trim();
        var right = filter[(at + 2)..].Trim();
        if (!left.StartsWith('@'))
        {
            throw new FormatException($"a filter must start with @: {filter}");
        }

        var values = Select(item, left[1..]);
        var literal = right.StartsWith('"') || right.StartsWith('\'') ? right[1..^1] : right;
        var equal = values.Any(v => v is JsonValue value && (value.TryGetValue<string>(out var s) ? s == literal : value.ToJsonString() == literal));
        return op == "==" ? equal : !equal;
    }
}
