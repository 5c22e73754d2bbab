namespace Wavelet.DataPlane.Webhooks;

/// <summary>Log messages of webhook delivery (event ids 2300-2399, docs/design/conventions.md).</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "Webhook of query {Query} removed or changed: stopping its sender")]
    public static partial void WebhookStopping(this ILogger logger, string query);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Error, Message = "Webhook of query {Query} is disabled in this process: {Error}")]
    public static partial void WebhookDisabled(this ILogger logger, string query, string? error);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "Webhook of query {Query} started (queue {Capacity}, {Attempts} attempts per diff)")]
    public static partial void WebhookStarted(this ILogger logger, string query, int capacity, int attempts);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Webhook of query {Query} accepts diffs again after dropping {Count}")]
    public static partial void WebhookAcceptsAgain(this ILogger logger, string query, long count);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Warning, Message = "Webhook queue of query {Query} is full ({Capacity} diffs, receiver {Url} too slow or down): dropping diffs until it drains")]
    public static partial void WebhookQueueFull(this ILogger logger, string query, int capacity, string url);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Warning, Message = "Webhook of query {Query} stopped during a delivery to {Url}; that diff is dropped")]
    public static partial void WebhookStoppedInFlight(this ILogger logger, string query, string url);

    [LoggerMessage(EventId = 2306, Level = LogLevel.Error, Message = "Webhook sender of query {Query} stopped unexpectedly")]
    public static partial void WebhookSenderFailed(this ILogger logger, Exception exception, string query);

    [LoggerMessage(EventId = 2307, Level = LogLevel.Warning, Message = "Webhook of query {Query} stopped with {Count} undelivered diffs; they are dropped")]
    public static partial void WebhookDiscarded(this ILogger logger, string query, int count);

    [LoggerMessage(EventId = 2308, Level = LogLevel.Error, Message = "Webhook of query {Query}: {Url} refused the diff with HTTP {Status}; it is not retried")]
    public static partial void WebhookRefused(this ILogger logger, string query, string url, int status);

    [LoggerMessage(EventId = 2309, Level = LogLevel.Error, Message = "Webhook of query {Query}: giving up on a diff after {Attempts} attempts to {Url}; last error: {Error}")]
    public static partial void WebhookGaveUp(this ILogger logger, string query, int attempts, string url, string error);

    [LoggerMessage(EventId = 2310, Level = LogLevel.Warning, Message = "Webhook of query {Query}: attempt {Attempt} to {Url} failed ({Error}); retrying in {Delay}")]
    public static partial void WebhookRetrying(this ILogger logger, string query, int attempt, string url, string error, TimeSpan delay);
}
