using System.Security.Claims;
using Wavelet.Api.DataPlane;

namespace Wavelet.DataPlane.Auth;

/// <summary>A verified token: the caller it stands for and the config whose JWT settings verified it.</summary>
public sealed class CallerIdentity(Caller caller, DataPlaneConfig verifiedUnder) : ClaimsIdentity(JwtAuthentication.Scheme)
{
    public Caller Caller { get; } = caller;

    public DataPlaneConfig VerifiedUnder { get; } = verifiedUnder;
}
