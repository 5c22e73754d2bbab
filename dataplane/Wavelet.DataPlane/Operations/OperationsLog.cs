namespace Wavelet.DataPlane.Operations;

/// <summary>Log messages of start-up and drain (event ids 2500-2599, docs/design/conventions.md).</summary>
internal static partial class OperationsLog
{
    [LoggerMessage(EventId = 2500, Level = LogLevel.Information, Message = "Draining: not ready; closing {Count} sockets in {Delay}")]
    public static partial void Draining(this ILogger logger, int count, TimeSpan delay);
}
