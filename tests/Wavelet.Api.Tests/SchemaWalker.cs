namespace Wavelet.Api.Tests;

/// <summary>Visits every schema node of an OpenAPI v3 schema: properties (a.b), items (a[]) and additionalProperties (a{*}).</summary>
internal static class SchemaWalker
{
    public sealed record SchemaNode(string Path, JsonObject Node, bool IsProperty);

    public static IEnumerable<SchemaNode> Nodes(JsonObject root, string path = "", bool isProperty = true)
    {
        yield return new SchemaNode(path, root, isProperty);
        if (root["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                foreach (var node in Nodes((JsonObject)child!, path.Length == 0 ? name : $"{path}.{name}"))
                {
                    yield return node;
                }
            }
        }

        if (root["items"] is JsonObject items)
        {
            foreach (var node in Nodes(items, path + "[]", isProperty: false))
            {
                yield return node;
            }
        }

        if (root["additionalProperties"] is JsonObject additional)
        {
            foreach (var node in Nodes(additional, path + "{*}", isProperty: false))
            {
                yield return node;
            }
        }
    }
}
