using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Wavelet.DataPlane.Observability;

/// <summary>A Prometheus histogram of seconds with fixed buckets, labelled.</summary>
public sealed class LatencyHistogram : IMetric
{
    private static readonly double[] Buckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly string _name;
    private readonly string _help;
    private readonly string[] _labels;

    public LatencyHistogram(string name, string help, params string[] labels)
    {
        _name = name;
        _help = help;
        _labels = labels;
    }

    public void Observe(double seconds, params string[] labelValues)
    {
        var series = _series.GetOrAdd(string.Join('\u001f', labelValues), _ => new Series());
        lock (series)
        {
            for (var i = 0; i < Buckets.Length; i++)
            {
                if (seconds <= Buckets[i])
                {
                    series.Counts[i]++;
                }
            }

            series.Count++;
            series.Sum += seconds;
        }
    }

    public void WriteTo(StringBuilder text)
    {
        text.Append("# HELP ").Append(_name).Append(' ').Append(_help).Append('\n');
        text.Append("# TYPE ").Append(_name).Append(" histogram\n");
        foreach (var (key, series) in _series.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var values = key.Split('\u001f');
            lock (series)
            {
                for (var i = 0; i < Buckets.Length; i++)
                {
                    Line(text, "_bucket", values, Buckets[i].ToString(CultureInfo.InvariantCulture), series.Counts[i]);
                }

                Line(text, "_bucket", values, "+Inf", series.Count);
                text.Append(_name).Append("_sum").Append(PrometheusText.Labels(_labels, values)).Append(' ').Append(series.Sum.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                text.Append(_name).Append("_count").Append(PrometheusText.Labels(_labels, values)).Append(' ').Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
    }

    private void Line(StringBuilder text, string suffix, string[] values, string le, long count) =>
        text.Append(_name).Append(suffix).Append(PrometheusText.Labels([.. _labels, "le"], [.. values, le])).Append(' ')
            .Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private sealed class Series
    {
        public long[] Counts { get; } = new long[Buckets.Length];

        public long Count { get; set; }

        public double Sum { get; set; }
    }
}
