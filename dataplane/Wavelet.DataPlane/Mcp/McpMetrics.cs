using System.Diagnostics.Metrics;
using Wavelet.DataPlane.Observability;

namespace Wavelet.DataPlane.Mcp;

/// <summary>The MCP endpoint's instruments, on the data plane's meter (so they appear on /metrics).</summary>
public sealed class McpMetrics
{
    private readonly Counter<long> _requests;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _notifications;
    private long _subscriptions;

    public McpMetrics(DataPlaneMetrics metrics)
    {
        _requests = metrics.Meter.CreateCounter<long>("wavelet_mcp_requests_total", description: "MCP tool calls and resource requests by operation and result (ok, invalid, error).");
        _refused = metrics.Meter.CreateCounter<long>("wavelet_mcp_refused_total", description: "HTTP requests to /mcp refused before reaching MCP, by reason (disabled, unauthorized).");
        _notifications = metrics.Meter.CreateCounter<long>("wavelet_mcp_notifications_total", description: "resources/updated notifications sent to subscribed sessions.");
        var subscriptions = metrics.Meter.CreateObservableGauge("wavelet_mcp_subscriptions", () => Interlocked.Read(ref _subscriptions), description: "Resource subscriptions of open MCP sessions.");
        metrics.Exposition.Declare(_requests, "operation", "result");
        metrics.Exposition.Declare(_refused, "reason");
        metrics.Exposition.Declare(_notifications, "query");
        metrics.Exposition.Declare(subscriptions);
    }

    public void Request(string operation, string result) =>
        _requests.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("result", result));

    public void Refuse(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Notified(string query) => _notifications.Add(1, DataPlaneMetrics.Query(query));

    public void SetSubscriptions(long count) => Interlocked.Exchange(ref _subscriptions, count);
}
