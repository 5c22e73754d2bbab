namespace Wavelet.DataPlane.Auth;

/// <summary>Where a request carries its token: <c>Authorization: Bearer</c>, else <c>?token=</c> (browsers cannot set headers on WebSockets).</summary>
public static class BearerToken
{
    public static string? Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return request.Query.TryGetValue("token", out var token) ? token.ToString() : null;
    }
}
