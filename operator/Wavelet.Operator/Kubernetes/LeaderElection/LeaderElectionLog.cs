using Microsoft.Extensions.Logging;

namespace Wavelet.Operator.Kubernetes.LeaderElection;

/// <summary>Log messages of leader election (event ids 1400-1499, docs/design/conventions.md).</summary>
internal static partial class LeaderElectionLog
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "{Identity} became leader of lease {Lease}")]
    public static partial void BecameLeader(this ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "{Identity} stopped leading lease {Lease}")]
    public static partial void StoppedLeading(this ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "{Identity} could not renew lease {Lease} within {Deadline}; giving up leadership")]
    public static partial void RenewDeadlinePassed(this ILogger logger, string identity, string lease, TimeSpan deadline);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "{Identity}: lease {Lease} attempt failed: {Error}")]
    public static partial void LeaseAttemptFailed(this ILogger logger, string identity, string lease, string error);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Information, Message = "{Identity} released lease {Lease}")]
    public static partial void LeaseReleased(this ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Warning, Message = "{Identity} could not release lease {Lease}: {Error}")]
    public static partial void LeaseReleaseFailed(this ILogger logger, string identity, string lease, string error);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Error, Message = "A leader election handler failed")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception);
}
