using System.Text.Json;
using Wavelet.Api.DataPlane;

namespace Wavelet.DataPlane.Auth;

/// <summary>
/// Whether a caller's token can read a filtered query at all: it must carry the query's filter claim (a token without
/// it is an integration mistake that would otherwise sit on an empty, open socket), and under <c>arrayClaims: Single</c>
/// the claim must hold one value.
/// </summary>
public static class ClaimAccess
{
    /// <summary>Why <paramref name="caller"/> may not read <paramref name="query"/>; null when it may.</summary>
    public static string? Refusal(QueryConfig query, JwtConfig? jwt, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(caller);
        if (query.FilterClaim is not { } claim)
        {
            return null;
        }

        if (caller.ClaimValues(claim).Count == 0)
        {
            return $"token has no '{claim}' claim required by query '{query.Name}'";
        }

        var isArray = caller.Payload is { ValueKind: JsonValueKind.Object } payload
            && payload.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 1;
        return isArray && jwt?.ArrayClaims == "Single"
            ? $"token's '{claim}' claim lists several values; query '{query.Name}' accepts one (spec.auth.jwt.arrayClaims: Single)"
            : null;
    }
}
