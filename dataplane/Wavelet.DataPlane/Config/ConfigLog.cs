namespace Wavelet.DataPlane.Config;

/// <summary>Log messages of config reload (event ids 2100-2199, docs/design/conventions.md).</summary>
internal static partial class ConfigLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Config reload changed the JWT settings: closing {Count} sockets so they reconnect under the new rules")]
    public static partial void ReloadChangedAuth(this ILogger logger, int count);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Config reload changed the filter of query {Query}: closing its sockets so they reconnect under the new rules")]
    public static partial void ReloadChangedFilter(this ILogger logger, string query);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Config reloaded from {Path}: {Count} queries (added: {Added}; removed: {Removed})")]
    public static partial void Reloaded(this ILogger logger, string path, int count, string added, string removed);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Config reload rejected, the previous config keeps serving: {Error}")]
    public static partial void ReloadRejected(this ILogger logger, string error);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "Config reload of {Path} failed unexpectedly; the previous config keeps serving")]
    public static partial void ReloadFailed(this ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "Config directory notification: {Notification}")]
    public static partial void DirectoryNotification(this ILogger logger, string notification);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Change notifications for {Path} ended; relying on polling until they restart")]
    public static partial void NotificationsEnded(this ILogger logger, string path);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Change notifications for {Path} failed; relying on polling until they restart")]
    public static partial void NotificationsFailed(this ILogger logger, Exception exception, string path);
}
