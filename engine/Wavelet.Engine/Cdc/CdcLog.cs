using Microsoft.Extensions.Logging;

namespace Wavelet.Engine.Cdc;

/// <summary>Log messages of CDC replication (event ids 4100-4199, docs/design/conventions.md).</summary>
internal static partial class CdcLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "CDC source {Schema}.{Name} replicates through slot {Slot}")]
    public static partial void SourceCreated(this ILogger logger, string schema, string name, string slot);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "CDC source {Schema}.{Name} dropped with its slot {Slot}")]
    public static partial void SourceDropped(this ILogger logger, string schema, string name, string slot);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Could not clean up {Object} on the source database: {Reason}")]
    public static partial void UpstreamCleanupFailed(this ILogger logger, Exception exception, string @object, string reason);
}
