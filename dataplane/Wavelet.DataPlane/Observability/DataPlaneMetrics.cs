using System.Diagnostics.Metrics;

namespace Wavelet.DataPlane.Observability;

/// <summary>
/// Every instrument the data plane records, on one <see cref="Meter"/> named <see cref="MeterName"/> (what
/// dotnet-counters and OpenTelemetry subscribe to); an instrument's name is its Prometheus name on /metrics.
/// Counters are recorded once per batch on hot paths (see <see cref="SendCounters"/>).
/// </summary>
public sealed class DataPlaneMetrics : IDisposable
{
    public const string MeterName = "Wavelet.DataPlane";

    /// <summary>HTTP latency buckets in seconds: reads from memory answer in well under 5 ms, so the first bucket is 1 ms.</summary>
    public static readonly double[] HttpBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public DataPlaneMetrics()
    {
        Meter = new Meter(MeterName);
        Exposition = new MeterExposition(Meter, _ => HttpBuckets);
        MessagesSent = Meter.CreateCounter<long>("wavelet_messages_sent_total", description: "WebSocket messages sent.");
        BytesSent = Meter.CreateCounter<long>("wavelet_bytes_sent_total", "By", "WebSocket payload bytes sent.");
        SlowConsumerDisconnects = Meter.CreateCounter<long>("wavelet_slow_consumer_disconnects_total", description: "Sockets closed because their queue passed its bound.");
        SnapshotsServed = Meter.CreateCounter<long>("wavelet_snapshots_served_total", description: "Snapshots sent to subscribers.");
        ResumesServed = Meter.CreateCounter<long>("wavelet_resumes_served_total", description: "Connections resumed from the epoch ring without a snapshot.");
        EpochsApplied = Meter.CreateCounter<long>("wavelet_epochs_applied_total", description: "RisingWave epochs applied to the state.");
        FeedReconnects = Meter.CreateCounter<long>("wavelet_feed_reconnects_total", description: "Feed reconnections after an error.");
        FeedErrors = Meter.CreateCounter<long>("wavelet_feed_errors_total", description: "Feed errors.");
        ConfigReloads = Meter.CreateCounter<long>("wavelet_config_reloads_total", description: "Config reloads by result.");
        WebhookDeliveries = Meter.CreateCounter<long>("wavelet_webhook_deliveries_total", description: "Webhook deliveries by result.");
        HttpRequests = Meter.CreateCounter<long>("wavelet_http_requests_total", description: "HTTP requests by route and status.");
        HttpDuration = Meter.CreateHistogram<double>("wavelet_http_request_duration_seconds", "s", "HTTP request latency.");
        foreach (var perQuery in new[] { MessagesSent, BytesSent, SlowConsumerDisconnects, SnapshotsServed, ResumesServed, EpochsApplied, FeedReconnects, FeedErrors })
        {
            Exposition.Declare(perQuery, "query");
        }

        Exposition.Declare(ConfigReloads, "result");
        Exposition.Declare(WebhookDeliveries, "query", "result");
        Exposition.Declare(HttpRequests, "route", "status");
        Exposition.Declare(HttpDuration, "route");
    }

    public Meter Meter { get; }

    /// <summary>The registry /metrics serves.</summary>
    internal MeterExposition Exposition { get; }

    /// <summary>What /metrics serves now.</summary>
    public Task<string> RenderAsync(CancellationToken cancellationToken) => Exposition.RenderAsync(cancellationToken);

    /// <summary>Tag <c>query</c>.</summary>
    public Counter<long> MessagesSent { get; }

    /// <summary>Tag <c>query</c>.</summary>
    public Counter<long> BytesSent { get; }

    /// <summary>Tag <c>query</c>.</summary>
    public Counter<long> SlowConsumerDisconnects { get; }

    /// <summary>Tag <c>query</c>.</summary>
    public Counter<long> SnapshotsServed { get; }

    /// <summary>Tag <c>query</c>.</summary>
    public Counter<long> ResumesServed { get; }

    /// <summary>Tag <c>query</c>.</summary>
    public Counter<long> EpochsApplied { get; }

    /// <summary>Tag <c>query</c>.</summary>
    public Counter<long> FeedReconnects { get; }

    /// <summary>Tag <c>query</c>.</summary>
    public Counter<long> FeedErrors { get; }

    /// <summary>Tag <c>result</c>: ok or failed.</summary>
    public Counter<long> ConfigReloads { get; }

    /// <summary>Tags <c>query</c> and <c>result</c> (<see cref="Webhooks.WebhookResults"/>).</summary>
    public Counter<long> WebhookDeliveries { get; }

    /// <summary>Tags <c>route</c> (the endpoint's pattern) and <c>status</c>.</summary>
    public Counter<long> HttpRequests { get; }

    /// <summary>Seconds; tag <c>route</c>.</summary>
    public Histogram<double> HttpDuration { get; }

    public static KeyValuePair<string, object?> Query(string name) => new("query", name);

    /// <summary>The send-side counters of one query, handed to its subscribers.</summary>
    public SendCounters SendCountersOf(string query) => new(MessagesSent, BytesSent, Query(query));

    /// <summary>
    /// Records zero on every per-query counter of a live query, so each series exists from the start (an alert on
    /// <c>increase()</c> sees the first error).
    /// </summary>
    public void TouchQuery(string query)
    {
        var tag = Query(query);
        foreach (var counter in new[] { MessagesSent, BytesSent, SlowConsumerDisconnects, SnapshotsServed, ResumesServed, EpochsApplied, FeedReconnects, FeedErrors })
        {
            counter.Add(0, tag);
        }
    }

    /// <summary>Records zero for every result of a query's webhook, for the same reason as <see cref="TouchQuery"/>.</summary>
    public void TouchWebhook(string query)
    {
        foreach (var result in new[] { Webhooks.WebhookResults.Ok, Webhooks.WebhookResults.Failed, Webhooks.WebhookResults.Dropped })
        {
            WebhookDeliveries.Add(0, Query(query), new KeyValuePair<string, object?>("result", result));
        }
    }

    public void Dispose()
    {
        Exposition.Dispose();
        Meter.Dispose();
    }
}
