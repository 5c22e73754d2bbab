using Microsoft.Extensions.Logging;

namespace Wavelet.Engine;

/// <summary>Log messages of the local engine and its proxy sessions (event ids 4000-4099, docs/design/conventions.md).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Barrier for subscription {Id} failed")]
    public static partial void SubscriptionBarrierFailed(this ILogger logger, Exception exception, long id);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Simulator barrier failed")]
    public static partial void BarrierFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Simulator session {Session} ended")]
    public static partial void SessionEnded(this ILogger logger, Exception exception, int session);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Could not forget simulator session {Session}")]
    public static partial void SessionNotForgotten(this ILogger logger, Exception exception, int session);
}
