using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Wavelet.Testing;

/// <summary>HS256 tokens as a client of the data plane would present them.</summary>
public static class TestTokens
{
    /// <summary>
    /// A token signed with <paramref name="secret"/>, carrying <paramref name="claims"/>, valid from a minute ago until
    /// <paramref name="expires"/> (an hour from now by default). With <paramref name="defaultTimes"/> false, exp and nbf
    /// are only what is passed and iat is left out: a token with neither is eternal.
    /// </summary>
    public static string Hs256(string secret, IDictionary<string, object>? claims = null, DateTime? expires = null, string? issuer = null, string? audience = null, DateTime? notBefore = null, bool defaultTimes = true)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims ?? new Dictionary<string, object>(),
            Issuer = issuer,
            Audience = audience,
            Expires = expires ?? (defaultTimes ? DateTime.UtcNow.AddHours(1) : null),
            NotBefore = notBefore ?? (defaultTimes ? DateTime.UtcNow.AddMinutes(-1) : null),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = defaultTimes }.CreateToken(descriptor);
    }
}
