using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Auth;

namespace Wavelet.DataPlane.Web;

/// <summary>Finds the token (Authorization: Bearer, else ?token=) and validates it against the current config.</summary>
public static class RequestAuth
{
    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return request.Query.TryGetValue("token", out var token) ? token.ToString() : null;
    }

    public static Task<AuthResult> AuthenticateAsync(HttpContext context, DataPlaneConfig config, bool required) =>
        context.RequestServices.GetRequiredService<TokenValidator>()
            .ValidateAsync(TokenOf(context.Request), config.Auth.Jwt, required, context.RequestAborted);
}
