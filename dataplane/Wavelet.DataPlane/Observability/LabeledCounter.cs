using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Wavelet.DataPlane.Observability;

/// <summary>A Prometheus counter with label values joined in a fixed label order.</summary>
public sealed class LabeledCounter : IMetric
{
    private readonly ConcurrentDictionary<string, long> _values = new(StringComparer.Ordinal);
    private readonly string[] _labels;

    public LabeledCounter(string name, string help, params string[] labels)
    {
        Name = name;
        Help = help;
        _labels = labels;
    }

    public string Name { get; }

    public string Help { get; }

    public void Inc(params string[] labelValues) => Add(1, labelValues);

    public void Add(long amount, params string[] labelValues) =>
        _values.AddOrUpdate(string.Join('\u001f', labelValues), amount, (_, v) => v + amount);

    public long Get(params string[] labelValues) => _values.TryGetValue(string.Join('\u001f', labelValues), out var v) ? v : 0;

    public void WriteTo(StringBuilder text)
    {
        text.Append("# HELP ").Append(Name).Append(' ').Append(Help).Append('\n');
        text.Append("# TYPE ").Append(Name).Append(" counter\n");
        foreach (var (key, value) in _values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(Name).Append(PrometheusText.Labels(_labels, key.Split('\u001f'))).Append(' ')
                .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
