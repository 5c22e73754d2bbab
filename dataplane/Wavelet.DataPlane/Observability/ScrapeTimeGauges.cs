using System.Diagnostics.Metrics;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.Webhooks;

namespace Wavelet.DataPlane.Observability;

/// <summary>
/// The gauges that describe current state (open sockets per query, feed lag per query), observed when /metrics is
/// scraped so they are never stale and a removed query's series disappear; at the same moment every live query's
/// counters are recorded from zero.
/// </summary>
public sealed class ScrapeTimeGauges
{
    private readonly DataPlaneMetrics _metrics;
    private readonly HubRegistry _hubs;
    private readonly WebhookDispatcher _webhooks;
    private readonly TimeProvider _clock;

    public ScrapeTimeGauges(DataPlaneMetrics metrics, HubRegistry hubs, WebhookDispatcher webhooks, TimeProvider clock)
    {
        _metrics = metrics;
        _hubs = hubs;
        _webhooks = webhooks;
        _clock = clock;
        metrics.Exposition.Declare(metrics.Meter.CreateObservableGauge("wavelet_connections", Connections, description: "Open WebSocket subscriptions."), "query");
        metrics.Exposition.Declare(
            metrics.Meter.CreateObservableGauge("wavelet_feed_lag_seconds", FeedLag, "s", "Now minus the rw_timestamp of the last applied epoch (grows while the query has no changes)."),
            "query");
        metrics.Exposition.Registry.AddBeforeCollectCallback(TouchLiveQueries);
    }

    private IEnumerable<Measurement<long>> Connections() =>
        [.. _hubs.All.Select(h => new Measurement<long>(h.SubscriberCount, DataPlaneMetrics.Query(h.Name)))];

    private IEnumerable<Measurement<double>> FeedLag()
    {
        var nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var lag = new List<Measurement<double>>();
        foreach (var hub in _hubs.All)
        {
            // rw_timestamp is unix milliseconds (RisingWave's epoch >> 16); a clock skewed behind the database reads as 0.
            if (hub.LastEpoch is { } epochMs)
            {
                lag.Add(new Measurement<double>(Math.Max(0, nowMs - epochMs) / 1000.0, DataPlaneMetrics.Query(hub.Name)));
            }
        }

        return lag;
    }

    private void TouchLiveQueries()
    {
        _metrics.ConfigReloads.Add(0, new KeyValuePair<string, object?>("result", "ok"));
        _metrics.ConfigReloads.Add(0, new KeyValuePair<string, object?>("result", "failed"));
        foreach (var hub in _hubs.All)
        {
            _metrics.TouchQuery(hub.Name);
        }

        foreach (var query in _webhooks.Active)
        {
            _metrics.TouchWebhook(query);
        }
    }
}
