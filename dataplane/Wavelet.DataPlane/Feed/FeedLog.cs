namespace Wavelet.DataPlane.Feed;

/// <summary>Log messages of the feeds (event ids 2200-2299, docs/design/conventions.md).</summary>
internal static partial class FeedLog
{
    private static readonly Func<ILogger, string, IDisposable?> QueryScope = LoggerMessage.DefineScope<string>("query {Query}");

    /// <summary>The scope a feed's lines carry ("=> query &lt;name&gt;").</summary>
    public static IDisposable? BeginQueryScope(this ILogger logger, string query) => QueryScope(logger, query);

    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Query {Query} removed: stopping its feed and closing its subscribers")]
    public static partial void QueryRemoved(this ILogger logger, string query);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Query {Query} changed: restarting its feed with a fresh snapshot")]
    public static partial void QueryChanged(this ILogger logger, string query);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "Feed of query {Query} stopped unexpectedly")]
    public static partial void FeedStopped(this ILogger logger, Exception exception, string query);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Declared cursor for {Subscription} {From}")]
    public static partial void CursorDeclared(this ILogger logger, string subscription, string from);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "Feed of query {Query} failed ({Error}); starting over with a fresh snapshot")]
    public static partial void FeedFailedStartingOver(this ILogger logger, string query, string error);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Warning, Message = "Feed of query {Query} failed ({Error}); resuming since epoch {Epoch}")]
    public static partial void FeedFailedResuming(this ILogger logger, string query, string error, long? epoch);
}
