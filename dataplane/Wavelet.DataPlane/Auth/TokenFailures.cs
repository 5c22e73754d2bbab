using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace Wavelet.DataPlane.Auth;

/// <summary>The reason a client reads (WebSocket close 4000, HTTP 401) for why its token was refused.</summary>
public static class TokenFailures
{
    public static string Reason(Exception? failure) => failure switch
    {
        AggregateException { InnerExceptions.Count: > 0 } all => Reason(all.InnerExceptions[0]),
        // Our own refusals (JwtEvents) carry their full text.
        AuthenticationFailureException own => own.Message,
        _ => "invalid token: " + Describe(failure),
    };

    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenNoExpirationException => "no exp claim; issue tokens that expire (or set spec.auth.jwt.allowTokensWithoutExpiry)",
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not yet valid",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenInvalidAlgorithmException => "algorithm not allowed",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "bad signature",
        SecurityTokenMalformedException or ArgumentException => "not a JWT",
        null => "rejected",
        _ => "rejected (" + e.GetType().Name.Replace("SecurityToken", "", StringComparison.Ordinal).Replace("Exception", "", StringComparison.Ordinal) + ")",
    };
}
