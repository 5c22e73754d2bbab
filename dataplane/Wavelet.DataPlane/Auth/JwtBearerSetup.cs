using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Config;

namespace Wavelet.DataPlane.Auth;

/// <summary>
/// Builds the JwtBearer options from the running config: HS256 key from the environment variable the config names and/or
/// the JWKS URL's keys (through a shared <see cref="JwksManagers"/> entry, so a reload keeps the fetched keys), issuer,
/// audience, exp required unless allowed, clock skew capped at <see cref="MaxClockSkew"/>, lifetime against the injected
/// clock. Run again after every publish (<see cref="ConfigChangeTokenSource{TOptions}"/>).
/// </summary>
public sealed class JwtBearerSetup(ConfigHolder holder, JwksManagers jwks, TimeProvider clock, Func<string, string?> environment)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    /// <summary>The largest clock skew a config may ask for; more would stretch every token's lifetime.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static readonly IReadOnlyList<string> Algorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name != JwtAuthentication.Scheme)
        {
            return;
        }

        var config = holder.Current;
        var jwt = config.Auth.Jwt;
        var skew = SkewOf(jwt);
        var secret = jwt?.SecretEnv is { } secretEnv && environment(secretEnv) is { Length: > 0 } value ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(value)) : null;
        var manager = jwt?.JwksUrl is { Length: > 0 } url ? jwks.For(url) : null;
        options.TimeProvider = clock;
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = false;
        options.RefreshOnIssuerKeyNotFound = true;
        options.ConfigurationManager = manager;
        options.Events = new JwtEvents(config, skew, secret is not null, manager, clock);
        options.TokenValidationParameters = new TokenValidationParameters
        {
            IssuerSigningKeys = secret is null ? [] : [secret],
            TryAllIssuerSigningKeys = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ValidAlgorithms = Algorithms,
            ValidateIssuer = jwt?.Issuer is not null,
            ValidIssuer = jwt?.Issuer,
            ValidateAudience = jwt?.Audience is not null,
            ValidAudience = jwt?.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = jwt is not { AllowTokensWithoutExpiry: true },
            ClockSkew = skew,
            LifetimeValidator = ValidateLifetime,
        };
    }

    /// <summary>
    /// IdentityModel's own lifetime rule (exp required unless allowed; exp and nbf with the skew), read against the injected
    /// clock: <see cref="TokenValidationParameters"/> exposes no public clock of its own, and tests move time.
    /// </summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        if (expires is null && parameters.RequireExpirationTime)
        {
            throw new SecurityTokenNoExpirationException("the token has no exp claim");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (notBefore is { } nbf && nbf > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("the token is not valid yet") { NotBefore = nbf };
        }

        if (expires is { } exp && exp < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("the token has expired") { Expires = exp };
        }

        return true;
    }

    public static TimeSpan SkewOf(JwtConfig? jwt) => TimeSpan.FromSeconds(Math.Clamp(jwt?.ClockSkewSeconds ?? 0, 0, MaxClockSkew.TotalSeconds));
}
