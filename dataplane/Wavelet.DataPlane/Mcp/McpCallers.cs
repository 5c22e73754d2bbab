using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using Wavelet.DataPlane.Auth;

namespace Wavelet.DataPlane.Mcp;

/// <summary>
/// Carries the caller the /mcp gate verified into MCP handlers: as the request's ClaimsPrincipal, which the SDK hands
/// to every handler of that HTTP request (and uses to bind a session to its user).
/// </summary>
public static class McpCallers
{
    public const string AuthenticationType = "wavelet-jwt";
    private const string PayloadClaim = "wavelet:payload";
    private const string ExpiresClaim = "wavelet:expires";

    public static ClaimsPrincipal ToPrincipal(Caller caller)
    {
        var claims = new List<Claim>();
        if (caller.Payload is { } payload)
        {
            claims.Add(new Claim(PayloadClaim, payload.GetRawText()));
        }

        // The SDK binds a stateful session to this identifier and refuses the session to any other.
        claims.Add(new Claim(ClaimTypes.NameIdentifier, IdentityOf(caller)));

        if (caller.Expires is { } expires)
        {
            claims.Add(new Claim(ExpiresClaim, expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType));
    }

    /// <summary>
    /// <c>sub</c> when the token has one; else a hash of its claims without the time-bound ones, so a renewed token
    /// with the same claims keeps its session and a token with other claims (another tenant) cannot use it.
    /// </summary>
    public static string IdentityOf(Caller caller)
    {
        if (caller.Payload is not { ValueKind: JsonValueKind.Object } payload)
        {
            return "anonymous";
        }

        if (payload.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String && sub.GetString() is { Length: > 0 } subject)
        {
            return "sub:" + subject;
        }

        var stable = payload.EnumerateObject()
            .Where(p => p.Name is not ("exp" or "iat" or "nbf" or "jti"))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => JsonSerializer.Serialize(p.Name) + ":" + p.Value.GetRawText());
        return "claims:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", stable))));
    }

    /// <summary>The verified caller of the current MCP request; a request that did not pass the gate has none.</summary>
    public static Caller From(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { AuthenticationType: AuthenticationType })
        {
            throw new McpProtocolException("this request was not authenticated by the data plane", McpErrorCode.InvalidRequest);
        }

        JsonElement? payload = user.FindFirst(PayloadClaim) is { } claim ? JsonDocument.Parse(claim.Value).RootElement.Clone() : null;
        DateTimeOffset? expires = user.FindFirst(ExpiresClaim) is { } exp ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(exp.Value, CultureInfo.InvariantCulture)) : null;
        return new Caller(payload, expires);
    }
}
