using Microsoft.AspNetCore.Authentication;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Auth;

namespace Wavelet.DataPlane.Web;

/// <summary>Authenticates a request through the JwtBearer scheme, when <paramref name="config"/> configures JWT at all.</summary>
public static class RequestAuth
{
    public const string MissingToken = "missing token: pass it as 'Authorization: Bearer <jwt>' or '?token=<jwt>'";

    public static string? TokenOf(HttpRequest request) => BearerToken.Of(request);

    /// <summary>No JWT configured → anonymous. Otherwise a token is needed when <paramref name="required"/>.</summary>
    public static async Task<AuthResult> AuthenticateAsync(HttpContext context, DataPlaneConfig config, bool required)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Auth.Jwt is null)
        {
            return AuthResult.Ok(Caller.Anonymous);
        }

        var result = await context.AuthenticateAsync(JwtAuthentication.Scheme);
        if (result.Succeeded && result.Principal.Identity is CallerIdentity identity)
        {
            return AuthResult.Ok(identity.Caller, identity.VerifiedUnder);
        }

        if (result.None)
        {
            return required ? AuthResult.Fail(MissingToken) : AuthResult.Ok(Caller.Anonymous);
        }

        return AuthResult.Fail(TokenFailures.Reason(result.Failure));
    }
}
