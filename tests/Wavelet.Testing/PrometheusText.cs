namespace Wavelet.Testing;

/// <summary>One sample line of the Prometheus text format: name, labels and value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? Label(string name) => Labels.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A parsed /metrics answer (text format 0.0.4); throws on any line that is not valid exposition text.</summary>
public sealed class PrometheusText
{
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _help = new(StringComparer.Ordinal);

    private PrometheusText()
    {
    }

    public List<PrometheusSample> Samples { get; } = [];

    public IReadOnlyDictionary<string, string> Types => _types;

    public IReadOnlyDictionary<string, string> Help => _help;

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length < 4 || parts[1] is not ("HELP" or "TYPE"))
                {
                    throw new FormatException($"line {lineNumber}: comment is neither HELP nor TYPE: {line}");
                }

                if (parts[1] == "TYPE")
                {
                    if (parts[3] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    {
                        throw new FormatException($"line {lineNumber}: unknown type {parts[3]}");
                    }

                    if (!parsed._types.TryAdd(parts[2], parts[3]))
                    {
                        throw new FormatException($"line {lineNumber}: second TYPE for {parts[2]}");
                    }
                }
                else
                {
                    parsed._help[parts[2]] = parts[3];
                }

                continue;
            }

            parsed.Samples.Add(ParseSample(line, lineNumber));
        }

        foreach (var sample in parsed.Samples)
        {
            if (parsed.FamilyOf(sample.Name) is null)
            {
                throw new FormatException($"sample {sample.Name} has no TYPE line");
            }
        }

        return parsed;
    }

    /// <summary>Samples of one series name whose labels include every given pair.</summary>
    public IEnumerable<PrometheusSample> Find(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Label(l.Label) == l.Value));

    /// <summary>The sum of the samples matching; 0 when there is none (a counter not yet incremented).</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) => Find(name, labels).Sum(s => s.Value);

    /// <summary>The value of the one sample matching, or null when there is none.</summary>
    public double? Value(string name, params (string Label, string Value)[] labels) =>
        Find(name, labels).ToList() switch
        {
            [] => null,
            [var one] => one.Value,
            var many => throw new InvalidOperationException($"{many.Count} samples of {name} match"),
        };

    private string? FamilyOf(string sampleName)
    {
        if (_types.ContainsKey(sampleName))
        {
            return sampleName;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal) && _types.TryGetValue(sampleName[..^suffix.Length], out var type) && type == "histogram")
            {
                return sampleName[..^suffix.Length];
            }
        }

        return null;
    }

    private static PrometheusSample ParseSample(string line, int lineNumber)
    {
        var position = 0;
        while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] is '_' or ':'))
        {
            position++;
        }

        if (position == 0)
        {
            throw new FormatException($"line {lineNumber}: no metric name: {line}");
        }

        var name = line[..position];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var equals = line.IndexOf('=', position);
                var label = line[position..equals];
                if (line[equals + 1] != '"')
                {
                    throw new FormatException($"line {lineNumber}: label {label} value is not quoted");
                }

                var value = new StringBuilder();
                position = equals + 2;
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        position++;
                        value.Append(line[position] == 'n' ? '\n' : line[position]);
                    }
                    else
                    {
                        value.Append(line[position]);
                    }

                    position++;
                }

                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"line {lineNumber}: label {label} twice");
                }

                position++;
                if (line[position] == ',')
                {
                    position++;
                }
            }

            position++;
        }

        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException($"line {lineNumber}: no space before the value: {line}");
        }

        var valueText = line[(position + 1)..];
        var number = valueText switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new PrometheusSample(name, labels, number);
    }
}
