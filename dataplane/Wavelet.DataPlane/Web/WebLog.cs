namespace Wavelet.DataPlane.Web;

/// <summary>Log lines of the HTTP routes.</summary>
internal static partial class WebLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Request {RequestId}: writing event {Event} failed: {Error}")]
    public static partial void WriteFailed(ILogger logger, string requestId, string @event, string error);
}
