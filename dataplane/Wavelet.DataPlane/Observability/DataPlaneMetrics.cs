using Wavelet.Api.Observability;

namespace Wavelet.DataPlane.Observability;

/// <summary>Every metric the data plane exports on /metrics, in the shared registry the operator also uses.</summary>
public sealed class DataPlaneMetrics
{
    /// <summary>HTTP latency buckets in seconds: reads from memory answer in well under 5 ms, so the first bucket is 1 ms.</summary>
    public static readonly IReadOnlyList<double> HttpBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public DataPlaneMetrics()
    {
        Connections = Registry.CreateGauge("wavelet_connections", "Open WebSocket subscriptions.", "query");
        MessagesSent = Registry.CreateCounter("wavelet_messages_sent_total", "WebSocket messages sent.", "query");
        BytesSent = Registry.CreateCounter("wavelet_bytes_sent_total", "WebSocket payload bytes sent.", "query");
        SlowConsumerDisconnects = Registry.CreateCounter("wavelet_slow_consumer_disconnects_total", "Sockets closed because their queue passed its bound.", "query");
        SnapshotsServed = Registry.CreateCounter("wavelet_snapshots_served_total", "Snapshots sent to subscribers.", "query");
        ResumesServed = Registry.CreateCounter("wavelet_resumes_served_total", "Connections resumed from the epoch ring without a snapshot.", "query");
        EpochsApplied = Registry.CreateCounter("wavelet_epochs_applied_total", "RisingWave epochs applied to the state.", "query");
        FeedLag = Registry.CreateGauge("wavelet_feed_lag_seconds", "Now minus the rw_timestamp of the last applied epoch (grows while the query has no changes).", "query");
        FeedReconnects = Registry.CreateCounter("wavelet_feed_reconnects_total", "Feed reconnections after an error.", "query");
        FeedErrors = Registry.CreateCounter("wavelet_feed_errors_total", "Feed errors.", "query");
        ConfigReloads = Registry.CreateCounter("wavelet_config_reloads_total", "Config reloads by result.", "result");
        WebhookDeliveries = Registry.CreateCounter("wavelet_webhook_deliveries_total", "Webhook deliveries by result.", "query", "result");
        HttpRequests = Registry.CreateCounter("wavelet_http_requests_total", "HTTP requests by route and status.", "route", "status");
        HttpDuration = Registry.CreateHistogram("wavelet_http_request_duration_seconds", "HTTP request latency.", HttpBuckets, "route");
    }

    public MetricsRegistry Registry { get; } = new();

    /// <summary>Set at scrape time from the open sockets (see <see cref="ScrapeTimeGauges"/>).</summary>
    public Gauge Connections { get; }

    public Counter MessagesSent { get; }

    public Counter BytesSent { get; }

    public Counter SlowConsumerDisconnects { get; }

    public Counter SnapshotsServed { get; }

    public Counter ResumesServed { get; }

    public Counter EpochsApplied { get; }

    /// <summary>Seconds, set at scrape time from each hub's last epoch (see <see cref="ScrapeTimeGauges"/>).</summary>
    public Gauge FeedLag { get; }

    public Counter FeedReconnects { get; }

    public Counter FeedErrors { get; }

    public Counter ConfigReloads { get; }

    public Counter WebhookDeliveries { get; }

    public Counter HttpRequests { get; }

    public Histogram HttpDuration { get; }

    /// <summary>The Prometheus text of every metric.</summary>
    public string Render() => Registry.Export();
}
