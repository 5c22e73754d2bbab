using System.Text;

namespace Wavelet.Api.Observability;

/// <summary>Observations counted into cumulative buckets, with their sum and count, e.g. request durations in seconds.</summary>
public sealed class Histogram : MetricFamily
{
    /// <summary>Prometheus client defaults, in seconds.</summary>
    public static readonly IReadOnlyList<double> DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _upperBounds;

    internal Histogram(string name, string help, IReadOnlyList<double> buckets, IReadOnlyList<string> labelNames)
        : base(name, help, labelNames)
    {
        if (buckets.Count == 0)
        {
            throw new ArgumentException($"histogram '{name}' needs at least one bucket", nameof(buckets));
        }

        for (var i = 1; i < buckets.Count; i++)
        {
            if (!(buckets[i] > buckets[i - 1]))
            {
                throw new ArgumentException($"histogram '{name}' buckets must be strictly increasing; {buckets[i]} follows {buckets[i - 1]}", nameof(buckets));
            }
        }

        _upperBounds = double.IsPositiveInfinity(buckets[^1]) ? [.. buckets] : [.. buckets, double.PositiveInfinity];
    }

    internal override string TypeName => "histogram";

    public Child WithLabels(params string[] labelValues) => GetChild(labelValues, () => new Child(_upperBounds));

    public void Observe(double value) => WithLabels().Observe(value);

    private protected override void WriteChild(StringBuilder text, string labels, object child)
    {
        var histogram = (Child)child;
        var prefix = labels.Length == 0 ? "" : labels + ",";
        long cumulative = 0;
        for (var i = 0; i < _upperBounds.Length; i++)
        {
            cumulative += histogram.BucketCount(i);
            WriteSample(text, Name + "_bucket", prefix + "le=\"" + FormatValue(_upperBounds[i]) + "\"", cumulative);
        }

        WriteSample(text, Name + "_sum", labels, histogram.Sum);
        WriteSample(text, Name + "_count", labels, cumulative);
    }

    public sealed class Child
    {
        private readonly double[] _upperBounds;
        private readonly long[] _counts;
        private AtomicDouble _sum;

        internal Child(double[] upperBounds)
        {
            _upperBounds = upperBounds;
            _counts = new long[upperBounds.Length];
        }

        public double Sum => _sum.Read();

        public long Count => _counts.Sum(c => Interlocked.Read(ref c));

        public void Observe(double value)
        {
            if (double.IsNaN(value))
            {
                return;
            }

            var bucket = Array.FindIndex(_upperBounds, bound => value <= bound);
            Interlocked.Increment(ref _counts[bucket]);
            _sum.Add(value);
        }

        internal long BucketCount(int index) => Interlocked.Read(ref _counts[index]);
    }
}
