using Wavelet.DataPlane.Fanout;

namespace Wavelet.DataPlane.Observability;

/// <summary>
/// Sets the gauges that describe current state (open sockets per query, feed lag per query) right before a scrape, so
/// they are never stale and a removed query's series disappear.
/// </summary>
public sealed class ScrapeTimeGauges
{
    private readonly DataPlaneMetrics _metrics;
    private readonly HubRegistry _hubs;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();

    public ScrapeTimeGauges(DataPlaneMetrics metrics, HubRegistry hubs, TimeProvider clock)
    {
        _metrics = metrics;
        _hubs = hubs;
        _clock = clock;
    }

    /// <summary>Refreshes the gauges and renders every metric.</summary>
    public string Render()
    {
        lock (_gate)
        {
            Replace(_metrics.Connections, _hubs.All.ToDictionary(h => h.Name, h => (double)h.SubscriberCount, StringComparer.Ordinal));

            var nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var lag = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var hub in _hubs.All)
            {
                // rw_timestamp is unix milliseconds (RisingWave's epoch >> 16); a clock skewed behind the database reads as 0.
                if (hub.LastEpoch is { } epochMs)
                {
                    lag[hub.Name] = Math.Max(0, nowMs - epochMs) / 1000.0;
                }
            }

            Replace(_metrics.FeedLag, lag);
            return _metrics.Render();
        }
    }

    private static void Replace(Api.Observability.Gauge gauge, Dictionary<string, double> values)
    {
        foreach (var labels in gauge.LabelValues())
        {
            if (!values.ContainsKey(labels[0]))
            {
                gauge.Remove(labels);
            }
        }

        foreach (var (query, value) in values)
        {
            gauge.WithLabels(query).Set(value);
        }
    }
}
