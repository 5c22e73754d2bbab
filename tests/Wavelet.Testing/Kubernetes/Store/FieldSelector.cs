namespace Wavelet.Testing.Kubernetes.Store;

/// <summary>
/// Field selectors (<c>a.b=x</c>, <c>a.b==x</c>, <c>a.b!=x</c>, comma-joined) on any dotted field path: metadata.name and
/// metadata.namespace as everywhere, and the fields kubectl selects on, e.g. an Event's involvedObject.uid. An absent
/// field compares as "".
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string[] Path, string Value, bool Negate)> _requirements = [];

    private FieldSelector()
    {
    }

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var negate = part.Contains("!=", StringComparison.Ordinal);
            var pieces = part.Split(negate ? "!=" : part.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (pieces.Length != 2 || pieces[0].Trim().Length == 0)
            {
                throw new FormatException($"invalid selector: '{part}'; can't understand '{part}'");
            }

            selector._requirements.Add((pieces[0].Trim().Split('.'), pieces[1].Trim(), negate));
        }

        return selector;
    }

    public bool Matches(JsonObject obj) => _requirements.All(r => (Value(obj, r.Path) == r.Value) != r.Negate);

    private static string Value(JsonObject obj, string[] path)
    {
        JsonNode? node = obj;
        foreach (var step in path)
        {
            node = (node as JsonObject)?[step];
        }

        return node switch
        {
            null => "",
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => node.ToJsonString(),
        };
    }
}
