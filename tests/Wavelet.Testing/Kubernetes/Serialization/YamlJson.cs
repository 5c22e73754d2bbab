using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Wavelet.Testing.Kubernetes.Serialization;

/// <summary>
/// YAML to JSON as the API server reads request bodies: plain scalars resolve to null, booleans and numbers, quoted and
/// block scalars stay strings. JSON is YAML, so a JSON body goes through unchanged.
/// </summary>
internal static class YamlJson
{
    public static JsonNode? Parse(string yaml)
    {
        var text = yaml.TrimStart();
        if (text.StartsWith('{') || text.StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // flow-style YAML that is not JSON: read it as YAML below
            }
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new JsonException($"yaml: line {ex.Start.Line}: {ex.Message}", ex);
        }

        // Round-tripped so numbers read back as any integer type, like values parsed from JSON.
        return stream.Documents.Count == 0 ? null : JsonNode.Parse(Convert(stream.Documents[0].RootNode)?.ToJsonString() ?? "null");
    }

    public static JsonObject ParseObject(string yaml) =>
        Parse(yaml) as JsonObject ?? throw new JsonException("the body must be an object");

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => ConvertMap(map),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonObject ConvertMap(YamlMappingNode map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : throw new JsonException("a mapping key must be a scalar");
            result[name] = Convert(value);
        }

        return result;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (text.Any(char.IsDigit) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && !double.IsInfinity(real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }
}
