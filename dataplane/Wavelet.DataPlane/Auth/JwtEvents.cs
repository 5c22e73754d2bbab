using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Wavelet.Api.DataPlane;

namespace Wavelet.DataPlane.Auth;

/// <summary>
/// The JwtBearer hooks of one config: the token comes from <c>Authorization: Bearer</c> or <c>?token=</c>; a server
/// with no key at all refuses clearly instead of reporting a bad signature; a verified token becomes a
/// <see cref="CallerIdentity"/> that remembers the config it was verified under. With a secret and no JWKS URL, a token
/// verified before is taken from <see cref="ValidatedTokens"/> (lifetime re-checked) instead of being verified again.
/// </summary>
public sealed class JwtEvents(DataPlaneConfig config, TimeSpan skew, bool hasSecret, IConfigurationManager<OpenIdConnectConfiguration>? jwks, TimeProvider clock)
    : JwtBearerEvents
{
    private readonly ValidatedTokens? _validated = hasSecret && jwks is null ? new ValidatedTokens(clock, skew) : null;

    public const string NoSigningKey = "token cannot be verified: the server has no signing key (check the JWT secret or JWKS URL)";

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Token = BearerToken.Of(context.Request);
        if (string.IsNullOrEmpty(context.Token))
        {
            context.NoResult();
            return;
        }

        if (_validated?.Find(context.Token) is { } known)
        {
            context.Principal = new ClaimsPrincipal(new CallerIdentity(known, config));
            context.Success();
            return;
        }

        if (!hasSecret && !await JwksHasKeysAsync(context.HttpContext.RequestAborted))
        {
            context.Fail(NoSigningKey);
        }
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = (JsonWebToken)context.SecurityToken;
        var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload)).RootElement.Clone();
        // The skew that let the token in also bounds its session: closing at exp itself would end at once a socket
        // accepted inside the skew window.
        DateTimeOffset? expires = token.ValidTo == DateTime.MinValue ? null : new DateTimeOffset(token.ValidTo + skew, TimeSpan.Zero);
        var caller = new Caller(payload, expires);
        _validated?.Add(token.EncodedToken, caller, token.ValidFrom == DateTime.MinValue ? null : new DateTimeOffset(token.ValidFrom, TimeSpan.Zero));
        context.Principal = new ClaimsPrincipal(new CallerIdentity(caller, config));
        return Task.CompletedTask;
    }

    /// <summary>Every failure becomes a refusal with its reason, never an exception out of the handler.</summary>
    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Fail(context.Exception);
        return Task.CompletedTask;
    }

    /// <summary>The cached key set (fetched on first use; the manager rate-limits fetches after a failure).</summary>
    private async Task<bool> JwksHasKeysAsync(CancellationToken ct)
    {
        if (jwks is null)
        {
            return false;
        }

        try
        {
            return (await jwks.GetConfigurationAsync(ct)).SigningKeys.Count > 0;
        }
        catch (InvalidOperationException)
        {
            // No key set was ever fetched (the endpoint is down or answers garbage); the retriever logged why.
            return false;
        }
    }
}
