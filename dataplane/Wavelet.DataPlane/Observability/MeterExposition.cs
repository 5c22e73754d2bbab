using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Prometheus;

namespace Wavelet.DataPlane.Observability;

/// <summary>
/// Publishes the instruments of one <see cref="Meter"/> in a prometheus-net registry (served on /metrics; the operator
/// compiles this same file). An instrument's name is its Prometheus name. Counters become Prometheus counters,
/// histograms histograms with the buckets given, observable gauges gauges read at scrape time whose label sets that
/// were not observed leave the exposition. The registry listens to that meter instance only, so two hosts in one
/// process (tests) never mix their series.
/// </summary>
/// <remarks>prometheus-net's own MeterAdapter exports counters as gauges and dropped every measurement in 8.2.1 here.</remarks>
internal sealed class MeterExposition : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly MetricFactory _factory;
    private readonly Func<Instrument, double[]> _buckets;
    private readonly ConcurrentDictionary<Instrument, ObservedGauge> _gauges = new();
    private readonly ConcurrentDictionary<Instrument, ISink> _sinks = new();
    private readonly Lock _collect = new();

    public MeterExposition(Meter meter, Func<Instrument, double[]> buckets)
    {
        _buckets = buckets;
        Registry = Metrics.NewCustomRegistry();
        _factory = Metrics.WithCustomRegistry(Registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument, _sinks.GetOrAdd(instrument, SinkFor));
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, sink) => ((ISink)sink!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, sink) => ((ISink)sink!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, sink) => ((ISink)sink!).Record(value, tags));
        _listener.Start();
        Registry.AddBeforeCollectCallback(ObserveGauges);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>The Prometheus text of every series, after the observable instruments were read.</summary>
    public async Task<string> RenderAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Creates the metric of an instrument of this meter with its label names before its first measurement, so /metrics
    /// lists it (HELP and TYPE, and a zero sample when it has no labels) from the start.
    /// </summary>
    public void Declare(Instrument instrument, params string[] labels)
    {
        if (!_sinks.TryGetValue(instrument, out var sink))
        {
            throw new ArgumentException($"instrument '{instrument.Name}' is not on this exposition's meter", nameof(instrument));
        }

        sink.Declare([.. labels.Order(StringComparer.Ordinal)]);
    }

    public void Dispose() => _listener.Dispose();

    private ISink SinkFor(Instrument instrument)
    {
        var type = instrument.GetType();
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (generic == typeof(Counter<>))
        {
            return new CounterSink(_factory, instrument);
        }

        if (generic == typeof(Histogram<>))
        {
            return new HistogramSink(_factory, instrument, _buckets(instrument));
        }

        if (generic == typeof(ObservableGauge<>))
        {
            return _gauges.GetOrAdd(instrument, i => new ObservedGauge(_factory, i));
        }

        throw new NotSupportedException($"instrument '{instrument.Name}' is a {type.Name}; /metrics exports Counter, Histogram and ObservableGauge");
    }

    private void ObserveGauges()
    {
        lock (_collect)
        {
            foreach (var gauge in _gauges.Values)
            {
                gauge.Begin();
            }

            _listener.RecordObservableInstruments();
            foreach (var gauge in _gauges.Values)
            {
                gauge.End();
            }
        }
    }

    private static string[] Names(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var names = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            names[i] = tags[i].Key;
        }

        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    /// <summary>The tag values in the order of <paramref name="names"/>; a measurement with other tags is a bug at its call site.</summary>
    private static string[] Values(string instrument, string[] names, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != names.Length)
        {
            throw new ArgumentException($"'{instrument}' is recorded with tags {string.Join(", ", names)}; got {tags.Length} tag(s)", nameof(tags));
        }

        var values = new string[names.Length];
        foreach (var tag in tags)
        {
            var index = Array.IndexOf(names, tag.Key);
            if (index < 0)
            {
                throw new ArgumentException($"'{instrument}' is recorded with tags {string.Join(", ", names)}, not '{tag.Key}'", nameof(tags));
            }

            values[index] = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }

        return values;
    }

    private interface ISink
    {
        void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

        void Declare(string[] labels);
    }

    /// <summary>Creates its Prometheus metric at the first measurement, whose tag keys become the label names.</summary>
    private abstract class Sink<TMetric>(Instrument instrument) : ISink
        where TMetric : class
    {
        private readonly Lock _create = new();
        private TMetric? _metric;
        private string[] _labels = [];

        protected Instrument Instrument { get; } = instrument;

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var metric = Volatile.Read(ref _metric) ?? MetricWith(Names(tags));
            Record(metric, Values(Instrument.Name, _labels, tags), value);
        }

        public void Declare(string[] labels) => MetricWith(labels);

        private TMetric MetricWith(string[] labels)
        {
            lock (_create)
            {
                if (_metric is null)
                {
                    _labels = labels;
                    _metric = Create(labels);
                }

                return _metric;
            }
        }

        protected abstract TMetric Create(string[] labels);

        protected abstract void Record(TMetric metric, string[] labelValues, double value);
    }

    private sealed class CounterSink(MetricFactory factory, Instrument instrument) : Sink<Counter>(instrument)
    {
        protected override Counter Create(string[] labels) => factory.CreateCounter(Instrument.Name, Instrument.Description ?? "", labels);

        protected override void Record(Counter metric, string[] labelValues, double value) => metric.WithLabels(labelValues).Inc(value);
    }

    private sealed class HistogramSink(MetricFactory factory, Instrument instrument, double[] buckets) : Sink<Histogram>(instrument)
    {
        protected override Histogram Create(string[] labels) =>
            factory.CreateHistogram(Instrument.Name, Instrument.Description ?? "", labels, new HistogramConfiguration { Buckets = buckets });

        protected override void Record(Histogram metric, string[] labelValues, double value) => metric.WithLabels(labelValues).Observe(value);
    }

    /// <summary>A gauge set at scrape time; label sets not observed in a scrape are removed.</summary>
    private sealed class ObservedGauge(MetricFactory factory, Instrument instrument) : Sink<Gauge>(instrument)
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private Gauge? _gauge;

        public void Begin() => _seen.Clear();

        public void End()
        {
            if (_gauge is null)
            {
                return;
            }

            foreach (var values in _gauge.GetAllLabelValues().ToList())
            {
                if (!_seen.Contains(string.Join('\0', values)))
                {
                    _gauge.RemoveLabelled(values);
                }
            }
        }

        protected override Gauge Create(string[] labels) => _gauge = factory.CreateGauge(Instrument.Name, Instrument.Description ?? "", labels);

        protected override void Record(Gauge metric, string[] labelValues, double value)
        {
            _seen.Add(string.Join('\0', labelValues));
            metric.WithLabels(labelValues).Set(value);
        }
    }
}
