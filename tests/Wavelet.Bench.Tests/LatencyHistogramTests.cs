namespace Wavelet.Bench.Tests;

public class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_come_from_the_recorded_distribution()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 100; ms++)
        {
            histogram.Record(ms * 1000L);
        }

        Assert.Equal(100, histogram.Count);
        Assert.InRange(histogram.PercentileMs(50), 50, 50.1);
        Assert.InRange(histogram.PercentileMs(99), 99, 99.1);
        Assert.Equal(100, histogram.MaxMs);
    }

    [Fact]
    public void Empty_histogram_reports_no_percentile_and_reset_clears_it()
    {
        var histogram = new LatencyHistogram();
        Assert.True(double.IsNaN(histogram.PercentileMs(99)));
        histogram.Record(5_000);
        histogram.Reset();
        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.MaxMs);
    }

    [Fact]
    public void Concurrent_recording_loses_no_sample()
    {
        var histogram = new LatencyHistogram();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.Record(i);
            }
        });
        Assert.Equal(80_000, histogram.Count);
        Assert.Equal(9.999, histogram.MaxMs);
    }

    [Fact]
    public void Samples_beyond_the_range_keep_their_exact_max()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(120_000_000);
        Assert.Equal(120_000, histogram.MaxMs);
        Assert.Equal(120_000, histogram.PercentileMs(50));
    }
}
