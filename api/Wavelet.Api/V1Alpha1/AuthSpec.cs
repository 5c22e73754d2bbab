namespace Wavelet.Api.V1Alpha1;

public sealed class AuthSpec
{
    [Description("How the data plane verifies client JSON Web Tokens. Without it, filtered queries are refused and only Public writes are possible.")]
    public JwtSpec? Jwt { get; set; }

    /// <summary>Authenticated (default) or Public.</summary>
    [AllowedValues(WriteAccess.Authenticated, WriteAccess.Public)]
    [Description("Who may write events: Authenticated (default: a valid token is required, so without spec.auth.jwt every write is rejected) or Public (anyone who can reach the service). An event with a column named like a filtered query's filterBy (a tenant column) always needs a token, whatever this says: its value is forced to the caller's claim.")]
    public string? Writes { get; set; }
}

[CelRule("has(self.secretRef) || has(self.jwksUrl)", "jwt needs secretRef (an HS256 key) or jwksUrl (a JWKS document)")]
public sealed class JwtSpec
{
    /// <summary>Secret key with the HS256 signing key.</summary>
    [Description("Secret key holding the HS256 key that signs client tokens.")]
    public SecretKeySelector? SecretRef { get; set; }

    /// <summary>https URL of a JWKS document (RS256/ES256 keys).</summary>
    [RegularExpression("^(https://[^\\s]+|http://(localhost|127\\.[0-9.]+|\\[::1\\])([:/][^\\s]*)?)$"), MaxLength(WaveletLimits.MaxUrlLength)]
    [Description("https URL of a JWKS document with the RS256/ES256 keys that sign client tokens (plain http only for localhost). Cached and refreshed when a token names an unknown key id.")]
    public string? JwksUrl { get; set; }

    [MaxLength(WaveletLimits.MaxUrlLength)]
    [Description("Required iss claim of client tokens. Unset: not checked.")]
    public string? Issuer { get; set; }

    [MaxLength(WaveletLimits.MaxUrlLength)]
    [Description("Required aud claim of client tokens. Unset: not checked.")]
    public string? Audience { get; set; }

    [Description("Accept tokens without an exp claim, which never expire. Default: false (such tokens are refused with 'invalid token: no exp claim').")]
    public bool? AllowTokensWithoutExpiry { get; set; }

    [Range(0, WaveletLimits.MaxClockSkewSeconds)]
    [Description("Seconds of clock difference tolerated when checking exp and nbf. Default: 30; at most 300.")]
    public int? ClockSkewSeconds { get; set; }

    [AllowedValues(ArrayClaimModes.Union, ArrayClaimModes.Single)]
    [Description("A filter claim holding an array (a user in several tenants): Union (default) grants the rows of every value; Single refuses such tokens, so each token sees one tenant.")]
    public string? ArrayClaims { get; set; }
}

public static class ArrayClaimModes
{
    public const string Union = "Union";
    public const string Single = "Single";
    public static readonly IReadOnlyList<string> All = [Union, Single];
}

public static class WriteAccess
{
    public const string Authenticated = "Authenticated";
    public const string Public = "Public";
    public static readonly IReadOnlyList<string> All = [Authenticated, Public];
}
