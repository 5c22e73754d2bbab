using Microsoft.Extensions.Logging;

namespace Wavelet.Operator.Kubernetes.Watch;

/// <summary>Log messages of the informers (event ids 1300-1399, docs/design/conventions.md).</summary>
internal static partial class InformerLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "{Type}: resourceVersion {Version} expired (HTTP 410); relisting")]
    public static partial void ResourceVersionExpired(this ILogger logger, string type, string? version);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "{Type}: list/watch failed; retrying with backoff")]
    public static partial void ListWatchFailed(this ILogger logger, Exception exception, string type);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "{Type}: listed {Count} objects at resourceVersion {Version}")]
    public static partial void Listed(this ILogger logger, string type, int count, string? version);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "{Type}: continue token expired; listing again in one request")]
    public static partial void ContinueTokenExpired(this ILogger logger, string type);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "{Type}: watch from {Version} expired ({Message}); relisting")]
    public static partial void WatchExpired(this ILogger logger, string type, string? version, string? message);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "{Type}: skipped a watch line that could not be read")]
    public static partial void WatchLineSkipped(this ILogger logger, Exception exception, string type);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Error, Message = "{Type}: an informer handler failed")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, string type);
}
