using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Wavelet.Api.Serialization;

/// <summary>
/// Turns YAML documents into JSON trees the way Kubernetes does (YAML 1.2 core schema for plain scalars; quoted scalars
/// are strings), remembering the source line of every JSON path so errors can point at the YAML.
/// </summary>
internal static partial class YamlToJson
{
    public sealed record Document(int Index, int Line, JsonNode? Root, IReadOnlyDictionary<string, int> Lines);

    public static IEnumerable<Document> Read(string yaml)
    {
        var parser = new TrackingParser(new Parser(new StringReader(yaml)));
        parser.Consume<StreamStart>();
        var index = 0;
        while (!parser.Accept<StreamEnd>(out _))
        {
            var start = parser.Consume<DocumentStart>();
            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            var root = ReadNode(parser, "$", lines, anchors);
            parser.Consume<DocumentEnd>();
            index++;
            yield return new Document(index, (int)start.Start.Line, root, lines);
        }
    }

    private static JsonNode? ReadNode(IParser parser, string path, Dictionary<string, int> lines, Dictionary<string, JsonNode?> anchors)
    {
        lines.TryAdd(path, (int)parser.Current!.Start.Line);
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
            }

            return target?.DeepClone();
        }

        JsonNode? node;
        AnchorName anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor;
            node = ScalarValue(scalar);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            anchor = sequenceStart.Anchor;
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(parser, $"{path}[{array.Count}]", lines, anchors));
            }

            node = array;
        }
        else
        {
            var mappingStart = parser.Consume<MappingStart>();
            anchor = mappingStart.Anchor;
            var obj = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Consume<Scalar>();
                var key = keyEvent.Value;
                if (obj.ContainsKey(key))
                {
                    throw new YamlException(keyEvent.Start, keyEvent.End, $"duplicate key \"{key}\"");
                }

                obj[key] = ReadNode(parser, $"{path}.{key}", lines, anchors);
            }

            node = obj;
        }

        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    private static JsonValue? ScalarValue(Scalar scalar)
    {
        var value = scalar.Value;
        var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        if (tag == "tag:yaml.org,2002:str" || scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntegerRegex().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatRegex().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(value);
    }

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerRegex();

    [GeneratedRegex("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatRegex();
}
