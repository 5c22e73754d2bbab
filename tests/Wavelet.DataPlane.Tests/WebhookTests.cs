using Wavelet.DataPlane.Webhooks;

namespace Wavelet.DataPlane.Tests;

/// <summary>Webhook delivery against a real HTTP receiver; backoff runs on a fake clock, so nothing sleeps.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private const string Secret = "webhook-signing-key";
    private readonly FakeTimeProvider _clock = new();
    private readonly DataPlaneMetrics _metrics = new();
    private readonly Dictionary<string, string> _environment = new() { ["HOOK_SECRET"] = Secret, ["JWT"] = "jwt-key-must-not-sign-webhooks" };
    private WebhookReceiver _receiver = null!;
    private WebhookDispatcher? _dispatcher;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        if (_dispatcher is not null)
        {
            await _dispatcher.DisposeAsync();
        }

        await _receiver.DisposeAsync();
        _metrics.Dispose();
    }

    [Fact]
    public async Task Every_diff_is_posted_unfiltered_as_json_with_a_signature_that_verifies_with_the_webhook_secret()
    {
        var dispatcher = Start(new WebhookOptions());
        var columns = new[] { "tenant", "item", "qty" };
        dispatcher.Publish("orders", 1700000000123,
        [
            new Change(RowOp.Insert, new Row(columns, ["a", "apple", 1L])),
            new Change(RowOp.Insert, new Row(columns, ["b", "bread", 2L])),
            new Change(RowOp.UpdateDelete, new Row(columns, ["a", "pear", 1L])),
            new Change(RowOp.UpdateInsert, new Row(columns, ["a", "pear", 3L])),
            new Change(RowOp.Delete, new Row(columns, ["b", "bun", 9L])),
        ]);

        await Eventually.UntilAsync(async () => await DeliveriesAsync("orders", WebhookResults.Ok) == 1, "the diff is delivered");
        var received = Assert.Single(_receiver.Requests);
        Assert.Equal("application/json", received.ContentType);
        Assert.StartsWith("sha256=", received.Signature, StringComparison.Ordinal);
        var now = _clock.GetUtcNow();
        Assert.Equal(now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), received.Timestamp);
        Assert.True(WebhookSignature.Verify(Encoding.UTF8.GetBytes(Secret), received.Body, received.Timestamp, received.Signature, now, WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(Encoding.UTF8.GetBytes("jwt-key-must-not-sign-webhooks"), received.Body, received.Timestamp, received.Signature, now, WebhookSignature.DefaultTolerance));
        Assert.Equal(IndependentSignature(Secret, received.Timestamp, received.Body), received.Signature);

        // The timestamp is signed: a captured request replayed later, or re-stamped with a fresh time, does not verify.
        Assert.False(WebhookSignature.Verify(Encoding.UTF8.GetBytes(Secret), received.Body, received.Timestamp, received.Signature, now.AddMinutes(6), WebhookSignature.DefaultTolerance));
        var restamped = WebhookSignature.Timestamp(now.AddMinutes(6));
        Assert.False(WebhookSignature.Verify(Encoding.UTF8.GetBytes(Secret), received.Body, restamped, received.Signature, now.AddMinutes(6), WebhookSignature.DefaultTolerance));

        var body = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal(["query", "cursor", "inserted", "updated", "deleted"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("orders", body.GetProperty("query").GetString());
        Assert.Equal("1700000000123", body.GetProperty("cursor").GetString());
        Assert.Equal(["apple", "bread"], body.GetProperty("inserted").EnumerateArray().Select(r => r.GetProperty("item").GetString()));
        Assert.Equal("3", body.GetProperty("updated")[0].GetProperty("qty").GetString());
        Assert.Equal(["1", "9"], body.GetProperty("deleted").EnumerateArray().Select(r => r.GetProperty("qty").GetString()));
    }

    [Fact]
    public async Task A_500_is_retried_after_a_backoff_and_then_delivered()
    {
        _receiver.Answer(HttpStatusCode.InternalServerError, HttpStatusCode.TooManyRequests);
        var dispatcher = Start(new WebhookOptions { RetryInitial = TimeSpan.FromSeconds(1), RetryMax = TimeSpan.FromSeconds(2), RequestTimeout = TimeSpan.FromHours(1) });
        dispatcher.Publish("orders", 1, Insert("apple"));

        await Eventually.UntilAsync(() => _receiver.Requests.Count == 1, "the first attempt arrives");
        Assert.Equal(0, await DeliveriesAsync("orders", WebhookResults.Ok));
        await Eventually.UntilAsync(async () =>
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            return await DeliveriesAsync("orders", WebhookResults.Ok) == 1;
        }, "the retries deliver the diff");

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], _receiver.Requests.Select(r => r.Status));
        Assert.Single(_receiver.Requests.Select(r => Convert.ToHexString(r.Body)).Distinct());
        Assert.Equal(0, await DeliveriesAsync("orders", WebhookResults.Failed));
    }

    [Fact]
    public async Task A_request_without_an_answer_within_the_timeout_is_retried()
    {
        _receiver.Block();
        var dispatcher = Start(new WebhookOptions { RequestTimeout = TimeSpan.FromSeconds(10), RetryInitial = TimeSpan.FromSeconds(1), RetryMax = TimeSpan.FromSeconds(1) });
        var start = _clock.GetUtcNow();
        dispatcher.Publish("orders", 1, Insert("apple"));
        await Eventually.UntilAsync(() => _receiver.Waiting == 1, "the first attempt hangs at the receiver");

        await Eventually.UntilAsync(() => AdvanceUntil(() => _receiver.Arrivals == 2), "a second attempt follows the timeout");
        Assert.True(_clock.GetUtcNow() - start >= TimeSpan.FromSeconds(10), "retried before the request timed out");
        _receiver.Release();
        await Eventually.UntilAsync(async () => await DeliveriesAsync("orders", WebhookResults.Ok) == 1, "the second attempt is delivered");
        Assert.Equal(0, await DeliveriesAsync("orders", WebhookResults.Failed));
    }

    [Fact]
    public async Task A_429_with_retry_after_waits_that_long_before_the_next_attempt()
    {
        _receiver.Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(30));
        var dispatcher = Start(new WebhookOptions { RequestTimeout = TimeSpan.FromHours(1), RetryInitial = TimeSpan.FromSeconds(1), RetryMax = TimeSpan.FromMinutes(1) });
        var start = _clock.GetUtcNow();
        dispatcher.Publish("orders", 1, Insert("apple"));

        await Eventually.UntilAsync(() => AdvanceUntil(() => _receiver.Arrivals == 2), "the diff is retried");
        Assert.True(_clock.GetUtcNow() - start >= TimeSpan.FromSeconds(30), "retried before Retry-After elapsed");
        await Eventually.UntilAsync(async () => await DeliveriesAsync("orders", WebhookResults.Ok) == 1, "the retry is delivered");
    }

    [Fact]
    public async Task The_configured_url_is_posted_to_with_its_path_and_query_string()
    {
        var dispatcher = Start(new WebhookOptions());
        var config = Config();
        config.Queries[0].Webhook!.Url = _receiver.Url + "?route=orders&token=abc";
        dispatcher.Apply(config);
        dispatcher.Publish("orders", 1, Insert("apple"));

        await Eventually.UntilAsync(async () => await DeliveriesAsync("orders", WebhookResults.Ok) == 1, "the diff is delivered");
        Assert.Equal("/hook?route=orders&token=abc", Assert.Single(_receiver.Requests).Target);
    }

    [Fact]
    public async Task A_4xx_is_not_retried_and_counted_failed_and_the_next_diff_still_goes_out()
    {
        _receiver.Answer(HttpStatusCode.BadRequest);
        var dispatcher = Start(new WebhookOptions());
        dispatcher.Publish("orders", 1, Insert("apple"));
        dispatcher.Publish("orders", 2, Insert("bread"));

        await Eventually.UntilAsync(async () => await DeliveriesAsync("orders", WebhookResults.Ok) == 1, "the second diff is delivered");
        Assert.Equal(1, await DeliveriesAsync("orders", WebhookResults.Failed));
        Assert.Equal(["1", "2"], _receiver.Requests.Select(Cursor));
    }

    [Fact]
    public async Task A_diff_is_given_up_after_the_last_attempt_before_the_next_is_sent()
    {
        _receiver.Answer(HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.BadGateway);
        var dispatcher = Start(new WebhookOptions { MaxAttempts = 3, RetryInitial = TimeSpan.FromSeconds(1), RetryMax = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromHours(1) });
        dispatcher.Publish("orders", 1, Insert("apple"));
        dispatcher.Publish("orders", 2, Insert("bread"));

        await Eventually.UntilAsync(async () =>
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            return await DeliveriesAsync("orders", WebhookResults.Ok) == 1;
        }, "the second diff is delivered after the first was given up");

        Assert.Equal(1, await DeliveriesAsync("orders", WebhookResults.Failed));
        Assert.Equal(["1", "1", "1", "2"], _receiver.Requests.Select(Cursor));
    }

    [Fact]
    public async Task Diffs_arrive_in_epoch_order_even_when_some_need_retries()
    {
        _receiver.Answer(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.InternalServerError);
        var dispatcher = Start(new WebhookOptions { RetryInitial = TimeSpan.FromSeconds(1), RetryMax = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromHours(1) });
        for (var epoch = 1; epoch <= 30; epoch++)
        {
            dispatcher.Publish("orders", epoch, Insert("item" + epoch));
        }

        await Eventually.UntilAsync(async () =>
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            return await DeliveriesAsync("orders", WebhookResults.Ok) == 30;
        }, "all 30 diffs are delivered");

        Assert.Equal(Enumerable.Range(1, 30).Select(e => e.ToString(System.Globalization.CultureInfo.InvariantCulture)), _receiver.Delivered.Select(Cursor));
        Assert.Equal(0, await DeliveriesAsync("orders", WebhookResults.Dropped));
    }

    [Fact]
    public async Task A_full_queue_drops_new_diffs_without_waiting_and_counts_them()
    {
        _receiver.Block();
        var dispatcher = Start(new WebhookOptions { QueueCapacity = 2, RequestTimeout = TimeSpan.FromHours(1) });
        dispatcher.Publish("orders", 1, Insert("first"));
        await Eventually.UntilAsync(() => _receiver.Waiting == 1, "the first diff is in flight at the blocked receiver");

        for (var epoch = 2; epoch <= 10; epoch++)
        {
            dispatcher.Publish("orders", epoch, Insert("item" + epoch)); // returns at once although nothing drains
        }

        Assert.Equal(7, await DeliveriesAsync("orders", WebhookResults.Dropped));
        _receiver.Release();
        await Eventually.UntilAsync(async () => await DeliveriesAsync("orders", WebhookResults.Ok) == 3, "the in-flight and the two queued diffs are delivered");
        Assert.Equal(["1", "2", "3"], _receiver.Delivered.Select(Cursor));
        Assert.Contains("wavelet_webhook_deliveries_total{query=\"orders\",result=\"dropped\"} 7", await _metrics.Exposition.RenderAsync(CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_cancels_the_delivery_in_flight_and_counts_queued_diffs_as_dropped()
    {
        _receiver.Block();
        var dispatcher = Start(new WebhookOptions { RequestTimeout = TimeSpan.FromHours(1) });
        dispatcher.Publish("orders", 1, Insert("first"));
        await Eventually.UntilAsync(() => _receiver.Waiting == 1, "the first diff is in flight");
        dispatcher.Publish("orders", 2, Insert("second"));
        dispatcher.Publish("orders", 3, Insert("third"));

        await dispatcher.DisposeAsync();

        Assert.Equal(3, await DeliveriesAsync("orders", WebhookResults.Dropped));
        Assert.Equal(0, await DeliveriesAsync("orders", WebhookResults.Ok));
    }

    [Fact]
    public async Task Config_changes_start_and_stop_webhooks_and_a_missing_secret_disables_only_that_webhook()
    {
        var dispatcher = Start(new WebhookOptions());
        Assert.Equal(["orders"], dispatcher.Active);

        var config = Config();
        config.Queries.Add(new QueryConfig { Name = "unsigned", Subscription = "s2", Webhook = new WebhookConfig { Url = _receiver.Url.ToString(), SecretEnv = "NOT_SET" } });
        config.Queries.Add(new QueryConfig { Name = "totals", Subscription = "s3", Webhook = new WebhookConfig { Url = _receiver.Url.ToString(), SecretEnv = "HOOK_SECRET" } });
        dispatcher.Apply(config);
        Assert.Equal(["orders", "totals"], dispatcher.Active.Order(StringComparer.Ordinal));
        dispatcher.Publish("unsigned", 1, Insert("x"));
        dispatcher.Publish("totals", 2, Insert("y"));
        await Eventually.UntilAsync(async () => await DeliveriesAsync("totals", WebhookResults.Ok) == 1, "the added webhook delivers");

        config.Queries.RemoveAll(q => q.Name == "orders");
        dispatcher.Apply(config);
        Assert.Equal(["totals"], dispatcher.Active);
        dispatcher.Publish("orders", 3, Insert("z"));
        dispatcher.Publish("totals", 4, Insert("w"));
        await Eventually.UntilAsync(async () => await DeliveriesAsync("totals", WebhookResults.Ok) == 2, "the remaining webhook delivers");
        Assert.Equal(["2", "4"], _receiver.Requests.Select(Cursor));
    }

    [Fact]
    public void At_startup_a_webhook_whose_secret_variable_is_unset_is_a_config_error_naming_the_variable()
    {
        var error = Assert.Throws<Wavelet.DataPlane.Config.InvalidConfigException>(() => WebhookSecrets.RequireAll(Config("MISSING_SECRET"), _environment.GetValueOrDefault));
        Assert.Contains("MISSING_SECRET", error.Message, StringComparison.Ordinal);
        Assert.Contains("orders", error.Message, StringComparison.Ordinal);
        WebhookSecrets.RequireAll(Config(), _environment.GetValueOrDefault);
    }

    [Theory]
    [InlineData("{\"url\":\"https://hooks.example.com/x\"}", "no secretEnv")]
    [InlineData("{\"url\":\"ftp://hooks.example.com/x\",\"secretEnv\":\"S\"}", "not an absolute http(s) URL")]
    [InlineData("{\"url\":\"/relative\",\"secretEnv\":\"S\"}", "not an absolute http(s) URL")]
    public void The_config_loader_rejects_an_unsigned_or_non_http_webhook(string webhook, string expected)
    {
        var json = "{\"version\":1,\"queries\":[{\"name\":\"orders\",\"subscription\":\"s1\",\"webhook\":" + webhook + "}]}";
        var error = Assert.Throws<Wavelet.DataPlane.Config.InvalidConfigException>(() => Wavelet.DataPlane.Config.ConfigLoader.Parse(json));
        Assert.Contains("query 'orders' webhook", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_feed_supervisor_leaves_the_dispatcher_to_its_one_owner_so_it_is_stopped_once()
    {
        var dispatcher = Start(new WebhookOptions());
        var config = Config();
        var supervisor = new FeedSupervisor(new SilentChangeSource(), new Wavelet.DataPlane.Config.ConfigHolder(config), _metrics, NullLogger<FeedSupervisor>.Instance, dispatcher);
        supervisor.Apply(config);

        await supervisor.DisposeAsync();

        // Still running: only its owner (the container in the host, this test here) stops it, once.
        Assert.Equal(["orders"], dispatcher.Active);
        await dispatcher.DisposeAsync();
        Assert.Empty(dispatcher.Active);
    }

    /// <summary>One step of fake time per poll while <paramref name="done"/> is false.</summary>
    private bool AdvanceUntil(Func<bool> done)
    {
        if (done())
        {
            return true;
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
        return false;
    }

    private static string Cursor(ReceivedWebhook request) => JsonDocument.Parse(request.Body).RootElement.GetProperty("cursor").GetString()!;

    private static List<Change> Insert(string item) => [new Change(RowOp.Insert, new Row(["item"], [item]))];

    /// <summary>What a receiver computes from the secret and the raw body, written without the data plane's helper.</summary>
    private static string IndependentSignature(string secret, string timestamp, byte[] body)
    {
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var signed = Encoding.ASCII.GetBytes(timestamp + ".").Concat(body).ToArray();
        return "sha256=" + string.Concat(hmac.ComputeHash(signed).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private DataPlaneConfig Config(string secretEnv = "HOOK_SECRET") => new()
    {
        Queries = [new QueryConfig { Name = "orders", Subscription = "s1", Webhook = new WebhookConfig { Url = _receiver.Url.ToString(), SecretEnv = secretEnv } }],
    };

    private WebhookDispatcher Start(WebhookOptions options)
    {
        _dispatcher = new WebhookDispatcher(new PlainHttpClients(), options, _metrics, _clock, _environment.GetValueOrDefault, NullLogger<WebhookDispatcher>.Instance);
        _dispatcher.Apply(Config());
        return _dispatcher;
    }

    /// <summary>A feed that yields nothing until it is stopped.</summary>
    private sealed class SilentChangeSource : IChangeSource
    {
        public async IAsyncEnumerable<FeedEvent> FollowAsync(string schema, QueryConfig query, ValueShape shape, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await new TaskCompletionSource().Task.WaitAsync(ct);
            yield break;
        }
    }

    private sealed class PlainHttpClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new() { Timeout = Timeout.InfiniteTimeSpan };
    }

    private async Task<double> DeliveriesAsync(string query, string result) =>
        PrometheusText.Parse(await _metrics.Exposition.RenderAsync(CancellationToken.None)).Sum("wavelet_webhook_deliveries_total", ("query", query), ("result", result));
}
