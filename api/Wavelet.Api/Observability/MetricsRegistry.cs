using System.Text;

namespace Wavelet.Api.Observability;

/// <summary>
/// A set of Prometheus metric families and their text exposition (format 0.0.4). No I/O: callers serve <see cref="Export"/>.
/// Thread-safe: metrics may be created and updated from any thread.
/// </summary>
public sealed class MetricsRegistry
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);

    public Counter CreateCounter(string name, string help, params string[] labelNames) =>
        Register(name, () => new Counter(name, help, labelNames));

    public Gauge CreateGauge(string name, string help, params string[] labelNames) =>
        Register(name, () => new Gauge(name, help, labelNames));

    public Histogram CreateHistogram(string name, string help, IReadOnlyList<double> buckets, params string[] labelNames) =>
        Register(name, () => new Histogram(name, help, buckets, labelNames));

    /// <summary>Every family in registration order, as Prometheus text.</summary>
    public string Export()
    {
        MetricFamily[] families;
        lock (_gate)
        {
            families = [.. _families.Values];
        }

        var text = new StringBuilder();
        foreach (var family in families)
        {
            family.WriteTo(text);
        }

        return text.ToString();
    }

    private T Register<T>(string name, Func<T> create)
        where T : MetricFamily
    {
        lock (_gate)
        {
            if (_families.TryGetValue(name, out var existing))
            {
                return existing as T ?? throw new InvalidOperationException(
                    $"metric '{name}' is already registered as a {existing.TypeName}; pick another name");
            }

            var family = create();
            _families.Add(name, family);
            return family;
        }
    }
}
