using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Wavelet.Api.Observability;

/// <summary>One named metric with its help text, label names and one child per distinct label-value tuple.</summary>
public abstract partial class MetricFamily
{
    private readonly ConcurrentDictionary<string, object> _children = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string[]> _labelValues = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

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
        string[] keys;
        lock (_order)
        {
            keys = [.. _order];
        }

        foreach (var key in keys)
        {
            if (_children.TryGetValue(key, out var child))
            {
                WriteChild(text, key, child);
            }
        }
    }

    /// <summary>The label values of every child, e.g. to find series of things that no longer exist.</summary>
    public IReadOnlyList<string[]> LabelValues()
    {
        lock (_order)
        {
            return [.. _order.Select(key => (string[])_labelValues[key].Clone())];
        }
    }

    /// <summary>Drops the child for these label values so its series leaves the exposition (e.g. a removed query).</summary>
    public bool Remove(params string[] labelValues)
    {
        var key = KeyOf(labelValues);
        lock (_order)
        {
            _labelValues.TryRemove(key, out _);
            return _order.Remove(key) & _children.TryRemove(key, out _);
        }
    }

    private protected abstract void WriteChild(StringBuilder text, string labels, object child);

    private protected TChild GetChild<TChild>(string[] labelValues, Func<TChild> create)
        where TChild : class
    {
        var key = KeyOf(labelValues);
        if (_children.TryGetValue(key, out var existing))
        {
            return (TChild)existing;
        }

        lock (_order)
        {
            var added = _children.GetOrAdd(key, _ => create());
            if (_labelValues.TryAdd(key, [.. labelValues]))
            {
                _order.Add(key);
            }

            return (TChild)added;
        }
    }

    private string KeyOf(string[] labelValues)
    {
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException(
                $"metric '{Name}' takes {LabelNames.Count} label value(s) ({string.Join(", ", LabelNames)}) but got {labelValues.Length}",
                nameof(labelValues));
        }

        return FormatLabels(LabelNames, labelValues);
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
