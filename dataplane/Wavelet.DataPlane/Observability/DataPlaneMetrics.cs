using System.Text;

namespace Wavelet.DataPlane.Observability;

/// <summary>Every metric the data plane exports on /metrics.</summary>
public sealed class DataPlaneMetrics
{
    private readonly List<IMetric> _metrics = [];

    public DataPlaneMetrics()
    {
        MessagesSent = Add(new LabeledCounter("wavelet_messages_sent_total", "WebSocket messages sent.", "query"));
        BytesSent = Add(new LabeledCounter("wavelet_bytes_sent_total", "WebSocket payload bytes sent.", "query"));
        SlowConsumerDisconnects = Add(new LabeledCounter("wavelet_slow_consumer_disconnects_total", "Sockets closed because their queue passed its bound.", "query"));
        SnapshotsServed = Add(new LabeledCounter("wavelet_snapshots_served_total", "Snapshots sent to subscribers.", "query"));
        ResumesServed = Add(new LabeledCounter("wavelet_resumes_served_total", "Connections resumed from the epoch ring without a snapshot.", "query"));
        EpochsApplied = Add(new LabeledCounter("wavelet_epochs_applied_total", "RisingWave epochs applied to the state.", "query"));
        FeedReconnects = Add(new LabeledCounter("wavelet_feed_reconnects_total", "Feed reconnections after an error.", "query"));
        FeedErrors = Add(new LabeledCounter("wavelet_feed_errors_total", "Feed errors.", "query"));
        ConfigReloads = Add(new LabeledCounter("wavelet_config_reloads_total", "Config reloads by result.", "result"));
        WebhookDeliveries = Add(new LabeledCounter("wavelet_webhook_deliveries_total", "Webhook deliveries by result.", "query", "result"));
        HttpRequests = Add(new LabeledCounter("wavelet_http_requests_total", "HTTP requests by route and status.", "route", "status"));
        HttpDuration = Add(new LatencyHistogram("wavelet_http_request_duration_seconds", "HTTP request latency.", "route"));
    }

    public LabeledCounter MessagesSent { get; }

    public LabeledCounter BytesSent { get; }

    public LabeledCounter SlowConsumerDisconnects { get; }

    public LabeledCounter SnapshotsServed { get; }

    public LabeledCounter ResumesServed { get; }

    public LabeledCounter EpochsApplied { get; }

    public LabeledCounter FeedReconnects { get; }

    public LabeledCounter FeedErrors { get; }

    public LabeledCounter ConfigReloads { get; }

    public LabeledCounter WebhookDeliveries { get; }

    public LabeledCounter HttpRequests { get; }

    public LatencyHistogram HttpDuration { get; }

    public T Add<T>(T metric)
        where T : IMetric
    {
        lock (_metrics)
        {
            _metrics.Add(metric);
        }

        return metric;
    }

    public string Render()
    {
        var text = new StringBuilder();
        lock (_metrics)
        {
            foreach (var metric in _metrics)
            {
                metric.WriteTo(text);
            }
        }

        return text.ToString();
    }
}
