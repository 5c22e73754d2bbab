using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Auth;
using Wavelet.DataPlane.Fanout;
using Wavelet.Testing.RisingWave;

namespace Wavelet.DataPlane.Tests;

/// <summary>
/// Tokens verified with keys from a JWKS URL (a local JWKS server that counts its requests): key rotation, the refresh
/// rate limit, and an unreachable endpoint.
/// </summary>
public sealed class JwksTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    private readonly Dictionary<string, RSA> _keys = new(StringComparer.Ordinal);
    private WebApplication _jwks = null!;
    private Uri _jwksUrl = null!;
    private volatile string[] _published = [];
    private volatile bool _failing;
    private int _hits;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _jwks = builder.Build();
        _jwks.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref _hits);
            return _failing ? Results.StatusCode(500) : Results.Text(KeySet(_published), "application/json");
        });
        await _jwks.StartAsync();
        _jwksUrl = new Uri(new Uri(_jwks.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/jwks");
    }

    public async Task DisposeAsync()
    {
        await _jwks.DisposeAsync();
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    private int Hits => Volatile.Read(ref _hits);

    [Fact]
    public async Task A_token_signed_with_a_rotated_in_key_is_accepted_after_one_refresh_and_a_removed_key_stops_verifying()
    {
        _published = ["k1"];
        await using var server = await StartAsync();
        await using (var first = await server.ConnectAsync("per_item", Token("k1")))
        {
            await first.ReceiveTypeAsync("snapshot");
        }

        Assert.Equal(1, Hits);

        _published = ["k2"];
        // The first token naming the new kid is accepted: the refresh it triggers is awaited, not left to the background.
        await using (var rotated = await server.ConnectAsync("per_item", Token("k2")))
        {
            await rotated.ReceiveTypeAsync("snapshot");
        }

        Assert.Equal(2, Hits);
        await AssertRefusedAsync(server, Token("k1"), "invalid token: bad signature");
        Assert.Equal(2, Hits);
    }

    [Fact]
    public async Task A_flood_of_unknown_key_ids_fetches_the_key_set_at_most_once_per_refresh_interval()
    {
        _published = ["k1"];
        await using var server = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(server, Token("k1"))).StatusCode);
        Assert.Equal(1, Hits);

        // One forger's key under many key ids (generating a key per kid would outlast the refresh interval on a slow machine).
        var forged = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => ReadAsync(server, Token("forged-" + i, signedWith: "forger"))));
        foreach (var response in forged)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("invalid token: bad signature", await ErrorOf(response));
        }

        // At most the one refresh the first unknown kid asked for (JwksManagers.RefreshInterval is 30 s).
        Assert.InRange(Hits, 1, 2);
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(server, Token("k1"))).StatusCode);
        Assert.InRange(Hits, 1, 2);
    }

    [Fact]
    public async Task An_unreachable_jwks_endpoint_refuses_tokens_with_a_clear_reason_and_the_server_keeps_serving()
    {
        _published = ["k1"];
        _failing = true;
        await using var server = await StartAsync();
        await AssertRefusedAsync(server, Token("k1"), JwtEvents.NoSigningKey);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await ReadAsync(server, Token("k1"))).StatusCode);
        }

        // The manager backs off after a failed first fetch instead of fetching per request.
        Assert.InRange(Hits, 1, 6);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(new Uri("/v1/queries", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Management.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);

        // An endpoint that never existed (nothing listens there) is refused the same way.
        await using var nowhere = await DataPlaneServer.StartAsync(rw, configure: c => c.Auth.Jwt = new JwtConfig { JwksUrl = "http://127.0.0.1:9/jwks" });
        await AssertRefusedAsync(nowhere, Token("k1"), JwtEvents.NoSigningKey);
    }

    private Task<DataPlaneServer> StartAsync() =>
        DataPlaneServer.StartAsync(rw, configure: c => c.Auth.Jwt = new JwtConfig { JwksUrl = _jwksUrl.ToString() });

    /// <summary>A WebSocket is closed with 4000 and the reason; an HTTP read answers 401 with the same reason.</summary>
    private static async Task AssertRefusedAsync(DataPlaneServer server, string token, string reason)
    {
        await using var socket = await server.ConnectAsync("per_item", token);
        Assert.Null(await socket.ReceiveAsync());
        Assert.Equal(CloseCodes.Rejected, (int)socket.Socket.CloseStatus!);
        Assert.Equal(reason.Length > 120 ? reason[..120] : reason, socket.Socket.CloseStatusDescription);

        var response = await ReadAsync(server, token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(reason, await ErrorOf(response));
    }

    private static async Task<HttpResponseMessage> ReadAsync(DataPlaneServer server, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/queries/per_item", UriKind.Relative));
        request.Headers.Authorization = new("Bearer", token);
        return await server.Http.SendAsync(request);
    }

    private static async Task<string?> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();

    private RSA KeyOf(string kid)
    {
        lock (_keys)
        {
            if (!_keys.TryGetValue(kid, out var key))
            {
                _keys[kid] = key = RSA.Create(2048);
            }

            return key;
        }
    }

    private string Token(string kid, string? signedWith = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object> { ["tenant"] = "a" },
        Expires = DateTime.UtcNow.AddHours(1),
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(KeyOf(signedWith ?? kid)) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
    });

    private string KeySet(IEnumerable<string> kids) => JsonSerializer.Serialize(new
    {
        keys = kids.Select(kid =>
        {
            var key = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(KeyOf(kid).ExportParameters(false)) { KeyId = kid });
            return new { kty = key.Kty, kid = key.Kid, n = key.N, e = key.E, use = "sig", alg = "RS256" };
        }),
    });
}
