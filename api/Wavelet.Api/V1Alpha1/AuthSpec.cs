namespace Wavelet.Api.V1Alpha1;

public sealed class AuthSpec
{
    public JwtSpec? Jwt { get; set; }

    /// <summary>Authenticated (default when JWT is configured) or Public.</summary>
    public string? Writes { get; set; }
}

public sealed class JwtSpec
{
    /// <summary>Secret key with the HS256 signing key.</summary>
    public SecretKeySelector? SecretRef { get; set; }

    /// <summary>https URL of a JWKS document (RS256/ES256 keys).</summary>
    public string? JwksUrl { get; set; }

    public string? Issuer { get; set; }
    public string? Audience { get; set; }
}

public static class WriteAccess
{
    public const string Authenticated = "Authenticated";
    public const string Public = "Public";
    public static readonly IReadOnlyList<string> All = [Authenticated, Public];
}
