using System.Net;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wavelet.Testing;
using Wavelet.Testing.RisingWave;

namespace Wavelet.DataPlane.Tests;

/// <summary>The JwtBearer options follow a live reload even when the change closes no socket (docs/design/jwt-bearer.md).</summary>
public sealed class JwtReloadTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IDisposable
{
    private readonly KubernetesConfigDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_reload_that_allows_tokens_without_exp_applies_to_the_next_request()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, _files);
        var eternal = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["tenant"] = "a" },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(DataPlaneServer.Secret)), SecurityAlgorithms.HmacSha256),
        });
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadAsync(server, eternal));

        var allowing = KubernetesConfigDirectory.Clone(server.Config);
        allowing.Auth.Jwt!.AllowTokensWithoutExpiry = true;
        _files.Write(allowing);

        await Eventually.UntilAsync(async () => await ReadAsync(server, eternal) == HttpStatusCode.OK, "the reloaded JWT settings verify the token");
    }

    [Fact]
    public async Task A_token_verified_before_a_reload_is_checked_again_under_the_new_settings()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, _files);
        var token = DataPlaneServer.Token("a");
        // Twice: the second request is answered from the verified-token cache of the running config.
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(server, token));
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(server, token));

        var requiringIssuer = KubernetesConfigDirectory.Clone(server.Config);
        requiringIssuer.Auth.Jwt!.Issuer = "https://issuer.example";
        _files.Write(requiringIssuer);

        await Eventually.UntilAsync(async () => await ReadAsync(server, token) == HttpStatusCode.Unauthorized, "the reload drops the tokens verified under the old settings");
    }

    private static async Task<HttpStatusCode> ReadAsync(DataPlaneServer server, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/queries/per_item", UriKind.Relative));
        request.Headers.Authorization = new("Bearer", token);
        return (await server.Http.SendAsync(request)).StatusCode;
    }
}
