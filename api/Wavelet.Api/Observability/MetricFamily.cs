using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Wavelet.Api.Observability;

/// <summary>One named metric with its help text, label names and one child per distinct label-value tuple.</summary>
public abstract partial class MetricFamily
{
    private readonly ConcurrentDictionary<string, object> _children = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    private protected MetricFamily(string name, string help, IReadOnlyList<string> labelNames)
    {
        if (!MetricName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a valid metric name; use letters, digits, '_' and ':', not starting with a digit", nameof(name));
        }

        foreach (var label in labelNames)
        {
            if (!LabelName().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal) || label == "le")
            {
                throw new ArgumentException($"'{label}' is not a valid label name for '{name}'; use letters, digits and '_', not starting with a digit or '__', and not 'le'", nameof(labelNames));
            }
        }

        if (labelNames.Distinct(StringComparer.Ordinal).Count() != labelNames.Count)
        {
            throw new ArgumentException($"metric '{name}' repeats a label name", nameof(labelNames));
        }

        Name = name;
        Help = help;
        LabelNames = labelNames;
    }

    public string Name { get; }

    public string Help { get; }

    public IReadOnlyList<string> LabelNames { get; }

    internal abstract string TypeName { get; }

    internal void WriteTo(StringBuilder text)
    {
        text.Append("# HELP ").Append(Name).Append(' ').Append(EscapeHelp(Help)).Append('\n');
        text.Append("# TYPE ").Append(Name).Append(' ').Append(TypeName).Append('\n');
        foreach (var key in _order)
        {
            WriteChild(text, key, _children[key]);
        }
    }

    private protected abstract void WriteChild(StringBuilder text, string labels, object child);

    private protected TChild GetChild<TChild>(string[] labelValues, Func<TChild> create)
        where TChild : class
    {
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException(
                $"metric '{Name}' takes {LabelNames.Count} label value(s) ({string.Join(", ", LabelNames)}) but got {labelValues.Length}",
                nameof(labelValues));
        }

        var key = FormatLabels(LabelNames, labelValues);
        if (_children.TryGetValue(key, out var existing))
        {
            return (TChild)existing;
        }

        var added = _children.GetOrAdd(key, _ => create());
        lock (_order)
        {
            if (!_order.Contains(key))
            {
                _order.Enqueue(key);
            }
        }

        return (TChild)added;
    }

    internal static string FormatLabels(IReadOnlyList<string> names, IReadOnlyList<string> values)
    {
        if (names.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        for (var i = 0; i < names.Count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(names[i]).Append("=\"").Append(EscapeLabelValue(values[i] ?? "")).Append('"');
        }

        return text.ToString();
    }

    internal static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };

    internal static void WriteSample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabelValue(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
