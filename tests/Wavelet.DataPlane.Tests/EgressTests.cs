using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Wavelet.DataPlane.Auth;
using Wavelet.DataPlane.Egress;

namespace Wavelet.DataPlane.Tests;

/// <summary>Webhook and JWKS requests cannot be pointed at internal addresses (docs/security.md, "Outgoing requests").</summary>
public sealed class EgressTests : IAsyncLifetime
{
    private readonly RSA _rsa = RSA.Create(2048);
    private WebApplication _server = null!;
    private Uri _base = null!;
    private int _jwksHits;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        var key = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "k1" });
        var jwks = JsonSerializer.Serialize(new { keys = new[] { new { kty = key.Kty, kid = key.Kid, n = key.N, e = key.E, use = "sig", alg = "RS256" } } });
        _server.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref _jwksHits);
            return Results.Text(jwks, "application/json");
        });
        _server.MapGet("/redirect", () => Results.Redirect("/jwks"));
        _server.MapGet("/huge", () => Results.Text("{\"keys\":[],\"pad\":\"" + new string('x', 300 * 1024) + "\"}", "application/json"));
        await _server.StartAsync();
        _base = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _rsa.Dispose();
    }

    [Theory]
    [InlineData("169.254.169.254", "link-local", true, true)]
    [InlineData("::ffff:169.254.169.254", "link-local", true, true)]
    [InlineData("fe80::1", "link-local", true, true)]
    [InlineData("0.0.0.0", "unspecified", true, true)]
    [InlineData("224.0.0.1", "multicast", true, true)]
    [InlineData("127.0.0.1", "loopback", false, true)]
    [InlineData("::1", "loopback", false, true)]
    [InlineData("10.0.0.1", "private", true, false)]
    [InlineData("172.16.5.4", "private", true, false)]
    [InlineData("192.168.1.1", "private", true, false)]
    [InlineData("100.64.0.10", "private", true, false)]
    [InlineData("fd12:3456::1", "private", true, false)]
    public void Internal_addresses_are_refused_unless_their_setting_allows_them(string address, string kind, bool allowLoopback, bool allowPrivate)
    {
        var ip = IPAddress.Parse(address);
        Assert.Contains(kind, EgressGuard.RefusalReason(ip, new EgressOptions()), StringComparison.Ordinal);
        var withAllowance = new EgressOptions { AllowLoopback = kind == "loopback", AllowPrivateNetworks = kind == "private" };
        Assert.Equal(kind is "loopback" or "private", EgressGuard.RefusalReason(ip, withAllowance) is null);
        Assert.Equal(!(allowLoopback && allowPrivate), EgressGuard.RefusalReason(ip, new EgressOptions { AllowLoopback = true, AllowPrivateNetworks = true }) is null);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2001:4860:4860::8888")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.Null(EgressGuard.RefusalReason(IPAddress.Parse(address), new EgressOptions()));

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_at_connect_time_unless_loopback_is_allowed()
    {
        var byName = new UriBuilder(_base) { Host = "localhost", Path = "/jwks" }.Uri;
        using (var guarded = new HttpClient(EgressGuard.CreateHandler(new EgressOptions())))
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => guarded.GetAsync(byName));
            Assert.Contains("loopback", refused.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<HttpRequestException>(() => guarded.GetAsync(new Uri(_base, "/jwks")));
        }

        Assert.Equal(0, _jwksHits);
        using var allowed = new HttpClient(EgressGuard.CreateHandler(new EgressOptions { AllowLoopback = true }));
        Assert.Equal(HttpStatusCode.OK, (await allowed.GetAsync(byName)).StatusCode);
        Assert.Equal(1, _jwksHits);
    }

    [Fact]
    public async Task Jwks_fetches_follow_no_redirect_and_refuse_an_oversized_document()
    {
        using var managers = new JwksManagers(new EgressOptions { AllowLoopback = true }, NullLogger<JwksManagers>.Instance);
        await Assert.ThrowsAsync<InvalidOperationException>(() => managers.For(new Uri(_base, "/redirect").ToString()).GetConfigurationAsync(CancellationToken.None));
        Assert.Equal(0, _jwksHits);
        await Assert.ThrowsAsync<InvalidOperationException>(() => managers.For(new Uri(_base, "/huge").ToString()).GetConfigurationAsync(CancellationToken.None));
        Assert.Equal("k1", Assert.Single((await managers.For(new Uri(_base, "/jwks").ToString()).GetConfigurationAsync(CancellationToken.None)).SigningKeys).KeyId);

        using var refusing = new JwksManagers(new EgressOptions(), NullLogger<JwksManagers>.Instance);
        await Assert.ThrowsAsync<InvalidOperationException>(() => refusing.For(new Uri(_base, "/jwks").ToString()).GetConfigurationAsync(CancellationToken.None));
        Assert.Equal(1, _jwksHits);
    }
}
