using Wavelet.Api.DataPlane;

namespace Wavelet.DataPlane.Config;

/// <summary>
/// Which open subscriptions a config change invalidates: a socket is authorised once, at connect, so when the JWT
/// settings or a query's filter change, its clients must reconnect to be checked (and partitioned) under the new rules.
/// </summary>
public static class AccessChanges
{
    public const string Reason = "access rules changed: reconnect with your last cursor";

    public static bool AuthChanged(DataPlaneConfig before, DataPlaneConfig after) => !SameJwt(before.Auth.Jwt, after.Auth.Jwt);

    /// <summary>Queries present in both configs whose filter column or claim changed.</summary>
    public static IEnumerable<string> FilterChanged(DataPlaneConfig before, DataPlaneConfig after)
    {
        var previous = before.Queries.ToDictionary(q => q.Name, StringComparer.Ordinal);
        return after.Queries
            .Where(q => previous.TryGetValue(q.Name, out var old) && (old.FilterBy != q.FilterBy || old.FilterClaim != q.FilterClaim))
            .Select(q => q.Name);
    }

    /// <summary>Whether a subscriber of <paramref name="query"/> authorised under <paramref name="before"/> must reconnect.</summary>
    public static bool RequiresReconnect(DataPlaneConfig before, DataPlaneConfig after, string query) =>
        !ReferenceEquals(before, after) && (AuthChanged(before, after) || FilterChanged(before, after).Contains(query, StringComparer.Ordinal));

    private static bool SameJwt(JwtConfig? a, JwtConfig? b) =>
        (a is null && b is null)
        || (a is not null && b is not null && a.SecretEnv == b.SecretEnv && a.JwksUrl == b.JwksUrl && a.Issuer == b.Issuer && a.Audience == b.Audience);
}
