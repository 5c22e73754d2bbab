using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Wavelet.Deploy.Tests.Helm;

/// <summary>Writes plain values (maps, lists, scalars) as block YAML the way Helm's toYaml does, without a trailing newline.</summary>
internal static partial class YamlEmitter
{
    public static string Emit(object? value)
    {
        var builder = new StringBuilder();
        Write(builder, value, 0);
        return builder.ToString().TrimEnd('\n');
    }

    private static void Write(StringBuilder builder, object? value, int indent)
    {
        var pad = new string(' ', indent);
        switch (value)
        {
            case IDictionary<string, object?> { Count: 0 }:
                builder.Append(pad).Append("{}\n");
                break;
            case IDictionary<string, object?> map:
                foreach (var (key, item) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    builder.Append(pad).Append(Scalar(key)).Append(':');
                    WriteChild(builder, item, indent + 2);
                }

                break;
            case IList<object?> { Count: 0 }:
                builder.Append(pad).Append("[]\n");
                break;
            case IList<object?> list:
                foreach (var item in list)
                {
                    builder.Append(pad).Append('-');
                    WriteChild(builder, item, indent + 2);
                }

                break;
            default:
                builder.Append(pad).Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static void WriteChild(StringBuilder builder, object? item, int indent)
    {
        if (item is IDictionary<string, object?> { Count: > 0 } or IList<object?> { Count: > 0 })
        {
            builder.Append('\n');
            Write(builder, item, indent);
        }
        else
        {
            builder.Append(' ');
            Write(builder, item, 0);
        }
    }

    public static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long or int => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s when PlainSafe().IsMatch(s) && !LooksTyped(s) => s,
        string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        _ => Scalar(value.ToString()),
    };

    private static bool LooksTyped(string s) =>
        s is "true" or "false" or "null" or "~" or "yes" or "no" or "on" or "off"
        || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    [GeneratedRegex(@"^[A-Za-z0-9_./][A-Za-z0-9_./ -]*$")]
    private static partial Regex PlainSafe();
}
