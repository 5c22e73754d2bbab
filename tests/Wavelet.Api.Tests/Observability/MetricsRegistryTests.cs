using Wavelet.Api.Observability;

namespace Wavelet.Api.Tests.Observability;

public sealed class MetricsRegistryTests
{
    [Fact]
    public void Counter_with_labels_is_exposed_per_label_tuple_with_help_and_type()
    {
        var registry = new MetricsRegistry();
        var reconciles = registry.CreateCounter("wavelet_reconciles_total", "Reconciles by result.", "result");
        reconciles.WithLabels("success").Inc();
        reconciles.WithLabels("success").Inc();
        reconciles.WithLabels("error").Inc(3);

        Assert.Equal(
            "# HELP wavelet_reconciles_total Reconciles by result.\n" +
            "# TYPE wavelet_reconciles_total counter\n" +
            "wavelet_reconciles_total{result=\"success\"} 2\n" +
            "wavelet_reconciles_total{result=\"error\"} 3\n",
            registry.Export());
    }

    [Fact]
    public void Gauge_goes_up_and_down_and_unlabelled_samples_have_no_braces()
    {
        var registry = new MetricsRegistry();
        var depth = registry.CreateGauge("queue_depth", "Items waiting.");
        depth.Inc(5);
        depth.Dec(2);
        Assert.Contains("\nqueue_depth 3\n", registry.Export(), StringComparison.Ordinal);
        depth.Set(0.5);
        Assert.Contains("\nqueue_depth 0.5\n", registry.Export(), StringComparison.Ordinal);
    }

    [Fact]
    public void Histogram_buckets_are_cumulative_with_inf_sum_and_count()
    {
        var registry = new MetricsRegistry();
        var duration = registry.CreateHistogram("op_seconds", "Duration.", [0.1, 1], "kind");
        duration.WithLabels("a").Observe(0.05);
        duration.WithLabels("a").Observe(0.5);
        duration.WithLabels("a").Observe(7);

        Assert.Equal(
            "# HELP op_seconds Duration.\n" +
            "# TYPE op_seconds histogram\n" +
            "op_seconds_bucket{kind=\"a\",le=\"0.1\"} 1\n" +
            "op_seconds_bucket{kind=\"a\",le=\"1\"} 2\n" +
            "op_seconds_bucket{kind=\"a\",le=\"+Inf\"} 3\n" +
            "op_seconds_sum{kind=\"a\"} 7.55\n" +
            "op_seconds_count{kind=\"a\"} 3\n",
            registry.Export());
    }

    [Fact]
    public void Label_values_and_help_are_escaped()
    {
        var registry = new MetricsRegistry();
        registry.CreateCounter("errors_total", "Line one\nback\\slash", "message").WithLabels("say \"hi\"\\\n").Inc();
        var text = registry.Export();
        Assert.Contains("# HELP errors_total Line one\\nback\\\\slash\n", text, StringComparison.Ordinal);
        Assert.Contains("errors_total{message=\"say \\\"hi\\\"\\\\\\n\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_names_and_misuse_are_rejected_with_a_fix()
    {
        var registry = new MetricsRegistry();
        Assert.Contains("not a valid metric name", Assert.Throws<ArgumentException>(() => registry.CreateCounter("1bad", "x")).Message, StringComparison.Ordinal);
        Assert.Contains("not a valid label name", Assert.Throws<ArgumentException>(() => registry.CreateCounter("ok", "x", "le")).Message, StringComparison.Ordinal);
        Assert.Contains("strictly increasing", Assert.Throws<ArgumentException>(() => registry.CreateHistogram("h", "x", [1, 1])).Message, StringComparison.Ordinal);
        var counter = registry.CreateCounter("c_total", "x", "a");
        Assert.Contains("takes 1 label value", Assert.Throws<ArgumentException>(() => counter.WithLabels("x", "y")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.WithLabels("x").Inc(-1));
        Assert.Contains("already registered as a counter", Assert.Throws<InvalidOperationException>(() => registry.CreateGauge("c_total", "x")).Message, StringComparison.Ordinal);
        Assert.Same(counter, registry.CreateCounter("c_total", "x", "a"));
    }

    [Fact]
    public async Task Concurrent_increments_are_not_lost()
    {
        var registry = new MetricsRegistry();
        var counter = registry.CreateCounter("hits_total", "x", "shard");
        var histogram = registry.CreateHistogram("lat", "x", Histogram.DefaultBuckets);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.WithLabels((i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
                histogram.Observe(0.001);
            }
        })));

        Assert.Equal(40_000, counter.WithLabels("0").Value);
        Assert.Equal(40_000, counter.WithLabels("1").Value);
        Assert.Equal(80_000, histogram.WithLabels().Count);
        Assert.Contains("lat_count 80000\n", registry.Export(), StringComparison.Ordinal);
    }

    [Fact]
    public void Removed_child_leaves_the_exposition_and_can_come_back()
    {
        var registry = new MetricsRegistry();
        var open = registry.CreateGauge("open_connections", "Open sockets.", "query");
        open.WithLabels("a").Set(2);
        open.WithLabels("b").Set(3);

        Assert.True(open.Remove("a"));
        Assert.False(open.Remove("a"));
        Assert.Equal([["b"]], open.LabelValues());
        Assert.DoesNotContain("query=\"a\"", registry.Export(), StringComparison.Ordinal);

        open.WithLabels("a").Set(1);
        Assert.Contains("open_connections{query=\"a\"} 1\n", registry.Export(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => open.Remove("a", "extra"));
    }
}
