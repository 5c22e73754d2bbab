namespace Wavelet.DataPlane.Mcp;

/// <summary>Log messages of the MCP endpoint (event ids 2400-2499, docs/design/conventions.md).</summary>
internal static partial class McpLog
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Warning, Message = "MCP write of event {Event} failed: {Error}")]
    public static partial void McpWriteFailed(this ILogger logger, string @event, string error);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "MCP subscription to {Query} ended: the session's token expired")]
    public static partial void McpSubscriptionExpired(this ILogger logger, string query);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "MCP subscription to {Query} ended: its session is gone ({Error})")]
    public static partial void McpSessionGone(this ILogger logger, string query, string error);
}
