namespace Wavelet.DataPlane.Auth;

/// <summary>Log lines of token verification.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Fetching JWKS from {Url} failed: {Error}")]
    public static partial void JwksFetchFailed(ILogger logger, string url, string error);
}
