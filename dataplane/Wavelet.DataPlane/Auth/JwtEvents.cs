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
/// <see cref="CallerIdentity"/> that remembers the config it was verified under.
/// </summary>
public sealed class JwtEvents(DataPlaneConfig config, TimeSpan skew, bool hasSecret, IConfigurationManager<OpenIdConnectConfiguration>? jwks) : JwtBearerEvents
{
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
        context.Principal = new ClaimsPrincipal(new CallerIdentity(new Caller(payload, expires), config));
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
