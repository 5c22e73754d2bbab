using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Wavelet.DataPlane.Tests;

/// <summary>Token expiry on open sockets (driven by an injected clock) and issuer/audience checks.</summary>
public sealed class TokenLifetimeTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    private const string Issuer = "https://issuer.example";
    private const string Audience = "wavelet-test";

    [Fact]
    public async Task A_socket_is_closed_with_4001_when_its_token_expires_and_not_before()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await DataPlaneServer.StartAsync(rw, services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        await using var client = await server.ConnectAsync("per_item", DataPlaneServer.Token("a", DateTime.UtcNow.AddMinutes(10)));
        await client.ReceiveTypeAsync("snapshot");

        clock.Advance(TimeSpan.FromMinutes(9));
        await server.InsertAsync("a", "still-open", 1);
        Assert.Equal("still-open", (await client.ReceiveTypeAsync("diff")).GetProperty("inserted")[0].GetProperty("item").GetString());

        clock.Advance(TimeSpan.FromMinutes(2));
        await client.AssertClosedAsync(CloseCodes.TokenExpired, "token expired");
    }

    [Fact]
    public async Task Tokens_from_another_issuer_or_for_another_audience_are_rejected_with_4000()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, configure: c =>
        {
            c.Auth.Jwt!.Issuer = Issuer;
            c.Auth.Jwt.Audience = Audience;
        });

        var cases = new (string? Issuer, string? Audience, string Reason)[]
        {
            ("https://other-issuer.example", Audience, "wrong issuer"),
            (Issuer, "another-audience", "wrong audience"),
            (null, Audience, "issuer"),
            (Issuer, null, "audience"),
        };
        foreach (var (issuer, audience, reason) in cases)
        {
            var token = DataPlaneServer.Token("a", issuer: issuer, audience: audience);
            await using var rejected = await server.ConnectAsync("per_item", token);
            await rejected.AssertClosedAsync(CloseCodes.Rejected, reason);

            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/queries/per_item", UriKind.Relative));
            request.Headers.Authorization = new("Bearer", token);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await server.Http.SendAsync(request)).StatusCode);
        }

        await using var accepted = await server.ConnectAsync("per_item", DataPlaneServer.Token("a", issuer: Issuer, audience: Audience));
        Assert.Equal(["apple"], (await accepted.ReceiveTypeAsync("snapshot")).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("item").GetString()));
    }
}
