namespace Wavelet.Bench.Measure;

/// <summary>
/// Lock-free latency histogram with 0.1 ms buckets up to 60 s (one array increment per sample, so 10k receive loops can
/// record concurrently without contention on a lock). Samples above the range land in the last bucket; max is exact.
/// </summary>
public sealed class LatencyHistogram
{
    private const long BucketMicros = 100;
    private const int BucketCount = 600_000;
    private readonly long[] _buckets = new long[BucketCount];
    private long _count;
    private long _maxMicros;

    public long Count => Interlocked.Read(ref _count);

    public double MaxMs => Interlocked.Read(ref _maxMicros) / 1000.0;

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }

        var index = (int)Math.Min(micros / BucketMicros, BucketCount - 1);
        Interlocked.Increment(ref _buckets[index]);
        Interlocked.Increment(ref _count);
        var max = Interlocked.Read(ref _maxMicros);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxMicros, micros, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The upper edge of the bucket holding the given percentile, in milliseconds; NaN without samples.</summary>
    public double PercentileMs(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(total * percentile / 100.0);
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += Interlocked.Read(ref _buckets[i]);
            if (seen >= rank)
            {
                if (i == BucketCount - 1)
                {
                    return MaxMs;
                }

                return Math.Min((i + 1) * BucketMicros, Interlocked.Read(ref _maxMicros)) / 1000.0;
            }
        }

        return MaxMs;
    }

    public void Reset()
    {
        Array.Clear(_buckets);
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _maxMicros, 0);
    }
}
