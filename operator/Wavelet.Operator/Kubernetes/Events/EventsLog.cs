using Microsoft.Extensions.Logging;

namespace Wavelet.Operator.Kubernetes.Events;

/// <summary>Log messages of the event recorder (event ids 1500-1599, docs/design/conventions.md).</summary>
internal static partial class EventsLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "Could not record event {Reason} on {Kind} {Namespace}/{Name}: {Error}")]
    public static partial void EventNotRecorded(this ILogger logger, string? reason, string? kind, string? @namespace, string? name, string error);
}
