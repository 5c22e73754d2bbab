using YamlDotNet.RepresentationModel;

namespace Wavelet.Testing.Tools;

/// <summary>
/// Loads YAML into plain values as Helm sees them: maps (string keys), lists, strings, longs, doubles, bools and null.
/// </summary>
public static class YamlValues
{
    public static object? LoadFile(string path) => LoadDocuments(File.ReadAllText(path)).SingleOrDefault();

    /// <summary>Parses every document of a multi-document YAML stream; throws YamlException on invalid YAML.</summary>
    public static IReadOnlyList<object?> LoadDocuments(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => Convert(d.RootNode)).Where(v => v is not null).ToList();
    }

    public static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value ?? "", kv => Convert(kv.Value), StringComparer.Ordinal),
        YamlSequenceNode seq => seq.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static object? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value;
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted
            or YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded)
        {
            return text;
        }

        return text switch
        {
            null or "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsDigit) => d,
            _ => text,
        };
    }

    /// <summary>Walks a dotted path through maps; null when any step is missing.</summary>
    public static object? At(object? root, string dottedPath)
    {
        var current = root;
        foreach (var part in dottedPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current is not IDictionary<string, object?> map || !map.TryGetValue(part, out current))
            {
                return null;
            }
        }

        return current;
    }
}
