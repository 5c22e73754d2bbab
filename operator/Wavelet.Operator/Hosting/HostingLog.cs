using Microsoft.Extensions.Logging;

namespace Wavelet.Operator.Hosting;

/// <summary>Log messages of the operator's hosting (event ids 1000-1099, docs/design/conventions.md).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Critical, Message = "the operator failed and stops")]
    public static partial void OperatorFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Identity} is the leader: reconciling")]
    public static partial void LeadingAndReconciling(this ILogger logger, string identity);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Identity} lost leadership: all reconciles stopped; standing by")]
    public static partial void LeadershipLost(this ILogger logger, string identity);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "leader is now {Leader}")]
    public static partial void NewLeader(this ILogger logger, string leader);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "{Identity} standing by for lease {Lease}")]
    public static partial void StandingBy(this ILogger logger, string identity, string lease);
}
