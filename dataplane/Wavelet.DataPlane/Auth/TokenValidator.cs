using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wavelet.Api.DataPlane;

namespace Wavelet.DataPlane.Auth;

/// <summary>Verifies JWTs: HS256 secret and/or JWKS, issuer, audience, lifetime with a small skew; unsigned tokens are rejected.</summary>
public sealed class TokenValidator
{
    /// <summary>The largest clock skew a config may ask for; more would stretch every token's lifetime.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private readonly JwksCache _jwks;
    private readonly TimeProvider _clock;
    private readonly Func<string, string?> _environment;
    private readonly JsonWebTokenHandler _handler = new();

    public TokenValidator(JwksCache jwks, TimeProvider clock, Func<string, string?> environment)
    {
        _jwks = jwks;
        _clock = clock;
        _environment = environment;
    }

    /// <summary>No JWT configured → anonymous. Otherwise a token is needed when <paramref name="required"/>.</summary>
    public async Task<AuthResult> ValidateAsync(string? token, JwtConfig? jwt, bool required, CancellationToken ct)
    {
        if (jwt is null)
        {
            return AuthResult.Ok(Caller.Anonymous);
        }

        if (string.IsNullOrEmpty(token))
        {
            return required ? AuthResult.Fail("missing token: pass it as 'Authorization: Bearer <jwt>' or '?token=<jwt>'") : AuthResult.Ok(Caller.Anonymous);
        }

        JsonWebToken parsed;
        try
        {
            parsed = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return AuthResult.Fail("invalid token: not a JWT");
        }

        var keys = new List<SecurityKey>();
        if (jwt.SecretEnv is { } secretEnv && _environment(secretEnv) is { Length: > 0 } secret)
        {
            keys.Add(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)) { KeyId = parsed.Kid is { Length: > 0 } kid && jwt.JwksUrl is null ? kid : null });
        }

        if (jwt.JwksUrl is { } jwksUrl)
        {
            keys.AddRange(await _jwks.KeysAsync(jwksUrl, string.IsNullOrEmpty(parsed.Kid) ? null : parsed.Kid, ct));
        }

        if (keys.Count == 0)
        {
            return AuthResult.Fail("token cannot be verified: the server has no signing key (check the JWT secret or JWKS URL)");
        }

        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
            ValidateIssuer = jwt.Issuer is not null,
            ValidIssuer = jwt.Issuer,
            ValidateAudience = jwt.Audience is not null,
            ValidAudience = jwt.Audience,
            // Lifetime is checked below against the injected clock, so tests can move time.
            ValidateLifetime = false,
            RequireExpirationTime = false,
            TryAllIssuerSigningKeys = true,
        };
        var result = await _handler.ValidateTokenAsync(parsed, parameters);
        if (!result.IsValid)
        {
            return AuthResult.Fail($"invalid token: {Describe(result.Exception)}");
        }

        var now = _clock.GetUtcNow().UtcDateTime;
        var skew = TimeSpan.FromSeconds(Math.Clamp(jwt.ClockSkewSeconds, 0, MaxClockSkew.TotalSeconds));
        if (parsed.ValidTo == DateTime.MinValue && !jwt.AllowTokensWithoutExpiry)
        {
            return AuthResult.Fail("invalid token: no exp claim; issue tokens that expire (or set spec.auth.jwt.allowTokensWithoutExpiry)");
        }

        if (parsed.ValidTo != DateTime.MinValue && now > parsed.ValidTo + skew)
        {
            return AuthResult.Fail("invalid token: expired");
        }

        if (parsed.ValidFrom != DateTime.MinValue && now + skew < parsed.ValidFrom)
        {
            return AuthResult.Fail("invalid token: not yet valid");
        }

        var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(parsed.EncodedPayload)).RootElement.Clone();
        // The skew that let the token in also bounds its session: closing at exp itself would end at once a socket
        // accepted inside the skew window.
        DateTimeOffset? expires = parsed.ValidTo == DateTime.MinValue ? null : new DateTimeOffset(parsed.ValidTo + skew, TimeSpan.Zero);
        return AuthResult.Ok(new Caller(payload, expires));
    }

    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not yet valid",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenInvalidAlgorithmException => "algorithm not allowed",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "bad signature",
        null => "rejected",
        _ => "rejected (" + e.GetType().Name.Replace("SecurityToken", "", StringComparison.Ordinal).Replace("Exception", "", StringComparison.Ordinal) + ")",
    };
}
