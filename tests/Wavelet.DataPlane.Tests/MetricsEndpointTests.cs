using Wavelet.Testing.Tools;

namespace Wavelet.DataPlane.Tests;

/// <summary>/metrics after a scripted session, parsed as Prometheus text: every documented metric with sane values.</summary>
public sealed class MetricsEndpointTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    private static readonly string[] Families =
    [
        "wavelet_connections", "wavelet_messages_sent_total", "wavelet_bytes_sent_total", "wavelet_slow_consumer_disconnects_total",
        "wavelet_snapshots_served_total", "wavelet_resumes_served_total", "wavelet_epochs_applied_total", "wavelet_feed_lag_seconds",
        "wavelet_feed_reconnects_total", "wavelet_feed_errors_total", "wavelet_config_reloads_total", "wavelet_webhook_deliveries_total",
        "wavelet_http_requests_total", "wavelet_http_request_duration_seconds",
    ];

    private DataPlaneServer _server = null!;

    public async Task InitializeAsync() => _server = await DataPlaneServer.StartAsync(rw);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_scripted_session_shows_up_in_every_metric()
    {
        await using var tenantA = await _server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await using var tenantB = await _server.ConnectAsync("per_item", DataPlaneServer.Token("b"));
        await using var totals = await _server.ConnectAsync("totals", DataPlaneServer.Token("a"));
        foreach (var client in new[] { tenantA, tenantB, totals })
        {
            await client.ReceiveTypeAsync("snapshot");
        }

        long cursor;
        await using (var leaving = await _server.ConnectAsync("per_item", DataPlaneServer.Token("a")))
        {
            await leaving.ReceiveTypeAsync("snapshot");
            await _server.InsertAsync("a", "kiwi", 1);
            cursor = long.Parse((await leaving.ReceiveTypeAsync("diff")).GetProperty("cursor").GetString()!, CultureInfo.InvariantCulture);
        }

        await _server.InsertAsync("b", "bagel", 2);
        await tenantB.ReceiveTypeAsync("diff");
        await using var resumed = await _server.ConnectAsync("per_item", DataPlaneServer.Token("a"), cursor);
        await resumed.ReceiveTypeAsync("connected");

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/v1/queries/per_item", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/v1/events/orders", "{\"item\":\"fig\",\"qty\":3}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/no-such-route", null)).StatusCode);
        await tenantA.ReceiveTypeAsync("diff"); // the write's epoch reached tenant a's socket

        // Sockets unregister when their handler ends, just after the close handshake: wait for the gauge to settle.
        PrometheusText metrics = null!;
        await Eventually.UntilAsync(async () =>
        {
            metrics = await ScrapeAsync();
            return metrics.Value("wavelet_connections", ("query", "per_item")) == 3
                && metrics.Value("wavelet_epochs_applied_total", ("query", "per_item")) >= 3
                && metrics.Value("wavelet_epochs_applied_total", ("query", "totals")) >= 3;
        }, "the connections gauge counts the three open per_item sockets (the one that left is gone), and each of the three inserts"
            + " (two through the simulator, one through POST /v1/events) is counted as an applied epoch of both queries");

        foreach (var family in Families)
        {
            Assert.True(metrics.Types.ContainsKey(family), $"{family} is exported");
        }

        foreach (var named in ChartMetrics.Named().Where(n => !n.StartsWith("wavelet_operator_", StringComparison.Ordinal)))
        {
            Assert.True(metrics.Types.ContainsKey(named), $"the chart's alerts or dashboard query {named}, which the data plane does not serve");
        }

        Assert.Equal(1, metrics.Value("wavelet_connections", ("query", "totals")));
        Assert.Equal(4, _server.App.Services.GetRequiredService<HubRegistry>().SubscriberCount);

        var perItemSent = metrics.Value("wavelet_messages_sent_total", ("query", "per_item"))!.Value;
        Assert.True(perItemSent >= 10, $"per_item messages sent: {perItemSent} (connected + snapshot for 4 sockets, plus diffs)");
        Assert.True(metrics.Value("wavelet_bytes_sent_total", ("query", "per_item")) > perItemSent * 20, "bytes sent cover at least the JSON envelope of each message");
        Assert.Equal(3, metrics.Value("wavelet_snapshots_served_total", ("query", "per_item"))); // every connect but the resume
        Assert.Equal(1, metrics.Value("wavelet_resumes_served_total", ("query", "per_item")));
        Assert.Equal(1, metrics.Value("wavelet_snapshots_served_total", ("query", "totals")));

        foreach (var query in new[] { "per_item", "totals" })
        {
            var lag = metrics.Value("wavelet_feed_lag_seconds", ("query", query));
            Assert.True(lag is >= 0 and < 60, $"feed lag of {query} is {lag}");
        }

        // Each live query's counters are exported from zero (so increase() sees the first error), not left out.
        Assert.Equal(0, metrics.Sum("wavelet_feed_errors_total"));
        Assert.Equal(0, metrics.Sum("wavelet_slow_consumer_disconnects_total"));
        Assert.Equal(0, metrics.Value("wavelet_feed_errors_total", ("query", "totals")));

        Assert.Equal(1, metrics.Value("wavelet_http_requests_total", ("route", "/v1/queries/{name}"), ("status", "200")));
        Assert.Equal(1, metrics.Value("wavelet_http_requests_total", ("route", "/v1/events/{name}"), ("status", "200")));
        Assert.Equal(1, metrics.Find("wavelet_http_requests_total", ("status", "404")).Sum(s => s.Value));
        Assert.True(metrics.Value("wavelet_http_requests_total", ("route", "/readyz"), ("status", "200")) >= 1, "the start-up readiness polls are counted");
        Assert.DoesNotContain(metrics.Samples, s => s.Label("route")?.StartsWith("/subscribe", StringComparison.Ordinal) == true);

        AssertHistogramsConsistent(metrics);
        Assert.Equal(1, metrics.Value("wavelet_http_request_duration_seconds_count", ("route", "/v1/events/{name}")));
    }

    private static void AssertHistogramsConsistent(PrometheusText metrics)
    {
        const string name = "wavelet_http_request_duration_seconds";
        var routes = metrics.Find(name + "_count").Select(s => s.Label("route")!).ToList();
        Assert.Contains("/v1/queries/{name}", routes);
        foreach (var route in routes)
        {
            var buckets = metrics.Find(name + "_bucket", ("route", route)).ToList();
            var bounds = buckets.Select(b => b.Label("le") == "+Inf" ? double.PositiveInfinity : double.Parse(b.Label("le")!, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(bounds.Order(), bounds);
            Assert.True(double.IsPositiveInfinity(bounds[^1]), $"{route}: the last bucket is +Inf");
            for (var i = 1; i < buckets.Count; i++)
            {
                Assert.True(buckets[i].Value >= buckets[i - 1].Value, $"{route}: buckets are cumulative");
            }

            var count = metrics.Value(name + "_count", ("route", route))!.Value;
            Assert.Equal(count, buckets[^1].Value);
            var sum = metrics.Value(name + "_sum", ("route", route))!.Value;
            Assert.True(sum >= 0 && sum < count * 10, $"{route}: latency sum {sum} over {count} requests");
        }

        // Each request is timed once: per route, the histogram's count equals the requests counted by status.
        foreach (var route in routes.Where(r => r != "/metrics"))
        {
            Assert.Equal(metrics.Find("wavelet_http_requests_total", ("route", route)).Sum(s => s.Value), metrics.Value(name + "_count", ("route", route)));
        }
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        var response = await _server.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DataPlaneServer.Token("a"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return _server.Http.SendAsync(request);
    }
}
