using Wavelet.Api.DataPlane;

namespace Wavelet.DataPlane.Auth;

/// <param name="VerifiedUnder">The config whose JWT settings verified the token; null when no token was verified.</param>
public sealed record AuthResult(Caller? Caller, string? Error, DataPlaneConfig? VerifiedUnder = null)
{
    public static AuthResult Ok(Caller caller, DataPlaneConfig? verifiedUnder = null) => new(caller, null, verifiedUnder);

    public static AuthResult Fail(string error) => new(null, error);
}
