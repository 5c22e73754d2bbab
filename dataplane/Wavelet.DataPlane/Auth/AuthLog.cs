namespace Wavelet.DataPlane.Auth;

/// <summary>Log messages of token validation (event ids 2600-2699, docs/design/conventions.md).</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 2600, Level = LogLevel.Warning, Message = "Fetching JWKS from {Url} failed: {Error}")]
    public static partial void JwksFetchFailed(ILogger logger, string url, string error);
}
