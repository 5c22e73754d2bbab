using Microsoft.Extensions.Logging;

namespace Wavelet.Operator.Controller;

/// <summary>Log messages of the controller loop (event ids 1100-1199, docs/design/conventions.md).</summary>
internal static partial class ControllerLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "caches synced; reconciling WaveletProjects in {Namespaces} with {Workers} worker(s)")]
    public static partial void CachesSynced(this ILogger logger, string namespaces, int workers);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "controller stopped")]
    public static partial void ControllerStopped(this ILogger logger);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "{Key}: {Reason}; retrying in {Delay}")]
    public static partial void ReconcileRetry(this ILogger logger, string key, string? reason, TimeSpan delay);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "{Key}: Kubernetes API error {Reason}: {Message}; retrying in {Delay}")]
    public static partial void ReconcileApiError(this ILogger logger, string key, string? reason, string? message, TimeSpan delay);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "{Key}: reconcile failed; retrying in {Delay}")]
    public static partial void ReconcileTransportError(this ILogger logger, Exception exception, string key, TimeSpan delay);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Error, Message = "{Key}: unexpected reconcile failure; retrying in {Delay}")]
    public static partial void ReconcileUnexpectedError(this ILogger logger, Exception exception, string key, TimeSpan delay);
}
