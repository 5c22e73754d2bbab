using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Wavelet.Bench.Clients;

/// <summary>Issues HS256 JWTs the data plane accepts: a random key per run, one token per tenant (cached).</summary>
public sealed class TokenFactory
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly SigningCredentials _credentials;
    private readonly Dictionary<string, string> _byTenant = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public TokenFactory(string tenantClaim, string? secret = null)
    {
        TenantClaim = tenantClaim;
        Secret = secret ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Secret)), SecurityAlgorithms.HmacSha256);
    }

    public string TenantClaim { get; }

    /// <summary>The HS256 key, passed to the data plane through the environment variable named in its config.</summary>
    public string Secret { get; }

    /// <summary>A token valid for a day, with the tenant claim when given.</summary>
    public string For(string? tenant)
    {
        var key = tenant ?? "";
        lock (_lock)
        {
            if (_byTenant.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var claims = new Dictionary<string, object> { ["sub"] = tenant is null ? "bench" : $"bench-{tenant}" };
            if (tenant is not null)
            {
                claims[TenantClaim] = tenant;
            }

            var token = _handler.CreateToken(new SecurityTokenDescriptor
            {
                Claims = claims,
                Expires = DateTime.UtcNow.AddDays(1),
                IssuedAt = DateTime.UtcNow,
                NotBefore = DateTime.UtcNow.AddMinutes(-1),
                SigningCredentials = _credentials,
            });
            _byTenant[key] = token;
            return token;
        }
    }
}
