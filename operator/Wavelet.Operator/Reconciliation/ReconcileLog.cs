using Microsoft.Extensions.Logging;

namespace Wavelet.Operator.Reconciliation;

/// <summary>Log messages of the reconcile pass (event ids 1200-1299, docs/design/conventions.md).</summary>
internal static partial class ReconcileLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "{Namespace}/{Name} is paused by {Annotation}: {Value}; nothing is changed")]
    public static partial void ReconcilePaused(this ILogger logger, string @namespace, string name, string annotation, string value);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "{Namespace}/{Name}: finalizer force-released by {Annotation}; RisingWave objects are left as they are")]
    public static partial void FinalizerForceReleased(this ILogger logger, string? @namespace, string? name, string annotation);
}
