namespace Wavelet.Testing.Kubernetes.Store;

/// <summary>Label selectors: k=v, k==v, k!=v, k, !k, k in (a,b), k notin (a,b).</summary>
internal sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    private LabelSelector()
    {
    }

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var part in SplitTopLevel(text))
        {
            selector._requirements.Add(ParseRequirement(part.Trim()));
        }

        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject labelObject)
        {
            foreach (var (key, value) in labelObject)
            {
                labels[key] = value?.GetValue<string>() ?? "";
            }
        }

        return _requirements.All(r => r(labels));
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part)
    {
        if (part.StartsWith('!'))
        {
            var key = part[1..].Trim();
            return labels => !labels.ContainsKey(key);
        }

        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = part[..at].Trim();
                var values = part[(at + op.Length)..].Trim().TrimStart('(').TrimEnd(')')
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                return negate
                    ? labels => !labels.TryGetValue(key, out var v) || !values.Contains(v)
                    : labels => labels.TryGetValue(key, out var v) && values.Contains(v);
            }
        }

        if (part.Contains("!=", StringComparison.Ordinal))
        {
            var pieces = part.Split("!=", 2);
            var (key, value) = (pieces[0].Trim(), pieces[1].Trim());
            return labels => !labels.TryGetValue(key, out var v) || v != value;
        }

        if (part.Contains('=', StringComparison.Ordinal))
        {
            var pieces = part.Split(part.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            var (key, value) = (pieces[0].Trim(), pieces[1].Trim());
            return labels => labels.TryGetValue(key, out var v) && v == value;
        }

        var exists = part.Trim();
        return labels => labels.ContainsKey(exists);
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }
}
