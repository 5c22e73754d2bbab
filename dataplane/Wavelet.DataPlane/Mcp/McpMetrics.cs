using Wavelet.Api.Observability;
using Wavelet.DataPlane.Observability;

namespace Wavelet.DataPlane.Mcp;

/// <summary>The MCP endpoint's metrics, in the data plane's registry (so they appear on /metrics).</summary>
public sealed class McpMetrics
{
    public McpMetrics(DataPlaneMetrics metrics)
    {
        Requests = metrics.Registry.CreateCounter("wavelet_mcp_requests_total", "MCP tool calls and resource requests by operation and result (ok, invalid, error).", "operation", "result");
        Refused = metrics.Registry.CreateCounter("wavelet_mcp_refused_total", "HTTP requests to /mcp refused before reaching MCP, by reason (disabled, unauthorized).", "reason");
        Notifications = metrics.Registry.CreateCounter("wavelet_mcp_notifications_total", "resources/updated notifications sent to subscribed sessions.", "query");
        Subscriptions = metrics.Registry.CreateGauge("wavelet_mcp_subscriptions", "Resource subscriptions of open MCP sessions.");
    }

    public Counter Requests { get; }

    public Counter Refused { get; }

    public Counter Notifications { get; }

    public Gauge Subscriptions { get; }
}
