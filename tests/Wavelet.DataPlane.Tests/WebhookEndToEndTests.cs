using Wavelet.DataPlane.Webhooks;

namespace Wavelet.DataPlane.Tests;

/// <summary>Webhooks from a real data-plane host fed by the RisingWave simulator, received by a real HTTP endpoint.</summary>
public sealed class WebhookEndToEndTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Each_epoch_of_a_filtered_query_is_posted_unfiltered_signed_and_in_order_with_the_socket_cursors()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, configure: AddWebhook);
        await using var client = await server.ConnectAsync("per_item", DataPlaneServer.Token(new[] { "a", "b" }));
        await client.ReceiveTypeAsync("snapshot");

        await server.InsertAsync("a", "cherry", 3);
        await server.InsertAsync("b", "bun", 1);
        await server.InsertAsync("a", "cherry", 2);
        var socketCursors = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            socketCursors.Add((await client.ReceiveTypeAsync("diff")).GetProperty("cursor").GetString()!);
        }

        await Eventually.UntilAsync(() => _receiver.Delivered.Count == 3, "three diffs are posted");
        var key = Encoding.UTF8.GetBytes(DataPlaneServer.WebhookSecret);
        Assert.All(_receiver.Delivered, r => Assert.True(WebhookSignature.Verify(key, r.Body, r.Timestamp, r.Signature, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance)));
        Assert.All(_receiver.Delivered, r => Assert.False(WebhookSignature.Verify(Encoding.UTF8.GetBytes(DataPlaneServer.Secret), r.Body, r.Timestamp, r.Signature, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance)));
        var bodies = _receiver.Delivered.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(socketCursors, bodies.Select(b => b.GetProperty("cursor").GetString()));
        Assert.All(bodies, b => Assert.Equal("per_item", b.GetProperty("query").GetString()));
        Assert.Equal("cherry", bodies[0].GetProperty("inserted")[0].GetProperty("item").GetString());
        Assert.Equal("b", bodies[1].GetProperty("inserted")[0].GetProperty("tenant").GetString());
        Assert.Equal("5", bodies[2].GetProperty("updated")[0].GetProperty("qty").GetString());
        Assert.Equal("3", bodies[2].GetProperty("deleted")[0].GetProperty("qty").GetString());
        await Eventually.UntilAsync(async () => (await MetricsAsync(server)).Contains("wavelet_webhook_deliveries_total{query=\"per_item\",result=\"ok\"} 3", StringComparison.Ordinal),
            "the three deliveries are counted once their responses arrive");
    }

    [Fact]
    public async Task A_blocked_receiver_overflows_its_tiny_queue_into_dropped_diffs_while_sockets_keep_getting_every_diff()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, configure: AddWebhook, args: ["--DataPlane:Webhooks:QueueCapacity", "1"]);
        await using var client = await server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await client.ReceiveTypeAsync("snapshot");
        _receiver.Block();

        await server.InsertAsync("a", "first", 1);
        await Eventually.UntilAsync(() => _receiver.Waiting == 1, "the first diff waits at the blocked receiver");
        foreach (var item in new[] { "second", "third", "fourth" })
        {
            await server.InsertAsync("a", item, 1);
        }

        var items = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            items.Add((await client.ReceiveTypeAsync("diff")).GetProperty("inserted")[0].GetProperty("item").GetString()!);
        }

        Assert.Equal(["first", "second", "third", "fourth"], items);
        await Eventually.UntilAsync(async () => (await MetricsAsync(server)).Contains("wavelet_webhook_deliveries_total{query=\"per_item\",result=\"dropped\"} 2", StringComparison.Ordinal),
            "the two diffs that did not fit the queue are counted as dropped");

        _receiver.Release();
        await Eventually.UntilAsync(() => _receiver.Delivered.Count == 2, "the in-flight and the queued diff are delivered");
        Assert.Equal(["first", "second"], _receiver.Delivered.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("inserted")[0].GetProperty("item").GetString()));
    }

    [Fact]
    public async Task A_webhook_added_and_moved_by_live_reloads_starts_and_stops_delivering()
    {
        using var files = new KubernetesConfigDirectory();
        await using var server = await DataPlaneServer.StartAsync(rw, files);
        var withWebhook = KubernetesConfigDirectory.Clone(server.Config);
        AddWebhook(withWebhook);
        files.Write(withWebhook);
        await Eventually.UntilAsync(async () => (await MetricsAsync(server)).Contains("wavelet_config_reloads_total{result=\"ok\"} 1", StringComparison.Ordinal), "the webhook config is applied");

        await server.InsertAsync("b", "bagel", 1);
        await Eventually.UntilAsync(() => _receiver.Delivered.Count == 1, "the diff after the reload is posted");
        Assert.Equal("bagel", JsonDocument.Parse(_receiver.Delivered[0].Body).RootElement.GetProperty("inserted")[0].GetProperty("item").GetString());

        var moved = KubernetesConfigDirectory.Clone(server.Config);
        moved.Queries.Single(q => q.Name == "totals").Webhook = new WebhookConfig { Url = _receiver.Url.ToString(), SecretEnv = "WEBHOOK" };
        files.Write(moved);
        await Eventually.UntilAsync(async () => (await MetricsAsync(server)).Contains("wavelet_config_reloads_total{result=\"ok\"} 2", StringComparison.Ordinal), "the webhook move is applied");
        await server.InsertAsync("b", "brioche", 1);

        await Eventually.UntilAsync(() => _receiver.Delivered.Count == 2, "the totals diff is posted");
        Assert.Equal(["per_item", "totals"], _receiver.Delivered.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("query").GetString()));
    }

    [Fact]
    public async Task A_webhook_to_a_loopback_address_is_refused_at_connect_time_by_default()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, configure: AddWebhook, args: ["--DataPlane:Egress:AllowLoopback", "false", "--DataPlane:Webhooks:MaxAttempts", "1"]);
        await server.InsertAsync("a", "apricot", 1);

        await Eventually.UntilAsync(async () => await server.CounterAsync("wavelet_webhook_deliveries_total", "per_item\",result=\"failed") == 1, "the delivery fails");
        Assert.Equal(0, _receiver.Arrivals);
    }

    private void AddWebhook(DataPlaneConfig config) =>
        config.Queries.Single(q => q.Name == "per_item").Webhook = new WebhookConfig { Url = _receiver.Url.ToString(), SecretEnv = "WEBHOOK" };

    private static async Task<string> MetricsAsync(DataPlaneServer server) => await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
}
