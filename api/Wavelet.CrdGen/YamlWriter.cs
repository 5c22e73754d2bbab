using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Wavelet.CrdGen;

/// <summary>
/// Writes a JSON tree as block-style YAML. Strings stay plain only when no YAML reader could take them for anything
/// else; all others are JSON double-quoted (valid YAML), so the output reads back to exactly the same tree.
/// </summary>
public static partial class YamlWriter
{
    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var text = new StringBuilder();
        WriteNode(text, root, 0, inList: false);
        return text.ToString();
    }

    private static void WriteNode(StringBuilder text, JsonNode node, int indent, bool inList)
    {
        switch (node)
        {
            case JsonObject obj:
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!(first && inList))
                    {
                        text.Append(' ', indent);
                    }

                    first = false;
                    text.Append(Scalar(key)).Append(':');
                    WriteValue(text, value!, indent + 2);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    text.Append(' ', indent).Append("- ");
                    if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        WriteNode(text, item, indent + 2, inList: true);
                    }
                    else
                    {
                        text.Append(Inline(item!)).Append('\n');
                    }
                }

                break;
            default:
                throw new InvalidOperationException("only objects and arrays are written as blocks");
        }
    }

    private static void WriteValue(StringBuilder text, JsonNode value, int indent)
    {
        if (value is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
        {
            text.Append('\n');
            WriteNode(text, value, indent, inList: false);
        }
        else
        {
            text.Append(' ').Append(Inline(value)).Append('\n');
        }
    }

    private static string Inline(JsonNode node) => node switch
    {
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => Scalar(value.GetValue<string>()),
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>() ? "true" : "false",
        _ => node.ToJsonString(),
    };

    private static string Scalar(string value) =>
        PlainRegex().IsMatch(value) && !IsReservedWord(value) ? value : JsonSerializer.Serialize(value, QuoteOptions);

    private static bool IsReservedWord(string value) =>
        value.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "~"
        || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    // Letters first, then letters, digits, spaces and punctuation that has no meaning inside a plain scalar.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9 _./()<>'+-]*(?<! )$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainRegex();
}
