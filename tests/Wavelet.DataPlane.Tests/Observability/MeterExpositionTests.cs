using System.Diagnostics.Metrics;

namespace Wavelet.DataPlane.Tests.Observability;

/// <summary>The Meter-to-Prometheus bridge: types, labels, scrape-time gauges and isolation between meters.</summary>
public sealed class MeterExpositionTests
{
    private static readonly double[] Buckets = [0.1, 1];

    [Fact]
    public async Task Counters_and_histograms_keep_their_prometheus_types_and_labels()
    {
        using var meter = new Meter("test.types");
        using var exposition = new MeterExposition(meter, _ => Buckets);
        var counter = meter.CreateCounter<long>("t_requests_total", description: "Requests.");
        var histogram = meter.CreateHistogram<double>("t_latency_seconds", "s", "Latency.");
        counter.Add(2, new("status", "200"), new("route", "/a"));
        counter.Add(3, new("route", "/a"), new("status", "200"));
        histogram.Record(0.5, new KeyValuePair<string, object?>("route", "/a"));

        var text = PrometheusText.Parse(await exposition.RenderAsync(CancellationToken.None));

        Assert.Equal("counter", text.Types["t_requests_total"]);
        Assert.Equal("histogram", text.Types["t_latency_seconds"]);
        Assert.Equal(5, text.Value("t_requests_total", ("route", "/a"), ("status", "200"))); // tag order does not matter
        Assert.Equal(1, text.Value("t_latency_seconds_bucket", ("route", "/a"), ("le", "1")));
        Assert.Equal(0, text.Value("t_latency_seconds_bucket", ("route", "/a"), ("le", "0.1")));
    }

    [Fact]
    public async Task An_observable_gauge_is_read_at_scrape_time_and_a_label_set_no_longer_observed_disappears()
    {
        using var meter = new Meter("test.gauges");
        using var exposition = new MeterExposition(meter, _ => Buckets);
        var live = new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 };
        meter.CreateObservableGauge("t_open", () => live.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("query", p.Key))).ToList());

        var first = PrometheusText.Parse(await exposition.RenderAsync(CancellationToken.None));
        live.Remove("b");
        live["a"] = 7;
        var second = PrometheusText.Parse(await exposition.RenderAsync(CancellationToken.None));

        Assert.Equal(2, first.Value("t_open", ("query", "b")));
        Assert.Equal(7, second.Value("t_open", ("query", "a")));
        Assert.Null(second.Value("t_open", ("query", "b")));
    }

    [Fact]
    public async Task A_registry_shows_only_its_own_meter_instance()
    {
        using var mine = new Meter("test.same-name");
        using var other = new Meter("test.same-name");
        using var exposition = new MeterExposition(mine, _ => Buckets);
        mine.CreateCounter<long>("t_mine_total").Add(1);
        other.CreateCounter<long>("t_other_total").Add(1);

        var text = PrometheusText.Parse(await exposition.RenderAsync(CancellationToken.None));

        Assert.True(text.Types.ContainsKey("t_mine_total"));
        Assert.False(text.Types.ContainsKey("t_other_total"));
    }

    [Fact]
    public void A_measurement_with_other_tags_than_the_first_is_refused_with_the_expected_tags()
    {
        using var meter = new Meter("test.tags");
        using var exposition = new MeterExposition(meter, _ => Buckets);
        var counter = meter.CreateCounter<long>("t_tagged_total");
        counter.Add(1, new KeyValuePair<string, object?>("query", "a"));

        var error = Assert.Throws<ArgumentException>(() => counter.Add(1, new KeyValuePair<string, object?>("route", "/a")));
        Assert.Contains("query", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_instrument_is_listed_before_its_first_measurement()
    {
        using var meter = new Meter("test.declare");
        using var exposition = new MeterExposition(meter, _ => Buckets);
        exposition.Declare(meter.CreateCounter<long>("t_errors_total", description: "Errors."), "query");
        exposition.Declare(meter.CreateHistogram<double>("t_duration_seconds"));

        var text = PrometheusText.Parse(await exposition.RenderAsync(CancellationToken.None));

        Assert.Equal("counter", text.Types["t_errors_total"]);
        Assert.Empty(text.Find("t_errors_total"));
        Assert.Equal(0, text.Value("t_duration_seconds_count"));
    }
}
