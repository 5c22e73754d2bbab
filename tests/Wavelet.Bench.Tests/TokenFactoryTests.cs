using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wavelet.Bench.Clients;

namespace Wavelet.Bench.Tests;

public class TokenFactoryTests
{
    [Fact]
    public async Task Tokens_verify_with_the_shared_key_and_carry_the_tenant_claim()
    {
        var factory = new TokenFactory("tenant");
        var token = factory.For("t42");

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(factory.Secret)),
            ValidateIssuer = false,
            ValidateAudience = false,
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("t42", result.Claims["tenant"]);
        Assert.Same(token, factory.For("t42"));
    }

    [Fact]
    public async Task An_unfiltered_token_has_no_tenant_claim_and_another_key_rejects_it()
    {
        var token = new TokenFactory("tenant").For(null);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(new TokenFactory("tenant").Secret)),
            ValidateIssuer = false,
            ValidateAudience = false,
        });

        Assert.False(result.IsValid);
        Assert.DoesNotContain("\"tenant\"", Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[1])), StringComparison.Ordinal);
    }
}
