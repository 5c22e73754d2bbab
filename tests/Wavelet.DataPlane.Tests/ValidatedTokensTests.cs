using Microsoft.Extensions.DependencyInjection.Extensions;
using Wavelet.DataPlane.Auth;

namespace Wavelet.DataPlane.Tests;

/// <summary>The verified-token cache never accepts what a fresh validation would refuse (lifetime, nbf, skew).</summary>
public sealed class ValidatedTokensTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    [Fact]
    public void A_cached_token_is_found_only_inside_its_lifetime_with_the_skew()
    {
        var now = new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(now);
        var skew = TimeSpan.FromSeconds(30);
        var tokens = new ValidatedTokens(clock, skew);
        var caller = new Caller(null, now.AddMinutes(10) + skew);
        tokens.Add("t", caller, notBefore: now);

        Assert.Same(caller, tokens.Find("t"));
        Assert.Null(tokens.Find("other"));
        clock.Advance(TimeSpan.FromMinutes(10) + skew);
        Assert.Same(caller, tokens.Find("t"));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(tokens.Find("t"));
        Assert.Equal(0, tokens.Count);
    }

    [Fact]
    public void A_cached_token_is_not_found_before_its_nbf_and_the_cache_stays_bounded()
    {
        var now = new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(now);
        var tokens = new ValidatedTokens(clock, TimeSpan.Zero);
        tokens.Add("later", new Caller(null, null), notBefore: now.AddMinutes(1));
        Assert.Null(tokens.Find("later"));

        for (var i = 0; i <= ValidatedTokens.Capacity; i++)
        {
            tokens.Add(i.ToString(CultureInfo.InvariantCulture), new Caller(null, null), notBefore: null);
        }

        Assert.InRange(tokens.Count, 1, ValidatedTokens.Capacity);
    }

    [Fact]
    public async Task A_token_reused_across_writes_is_refused_as_expired_once_its_exp_passes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await DataPlaneServer.StartAsync(rw, services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var token = DataPlaneServer.Token("a", DateTime.UtcNow.AddMinutes(10));

        Assert.Equal(HttpStatusCode.OK, (await WriteSecurityTests.PostAsync(server, "/v1/events/orders", """{"item":"x","qty":1}""", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WriteSecurityTests.PostAsync(server, "/v1/events/orders", """{"item":"y","qty":1}""", token)).StatusCode);
        // The cached caller keeps its claims: another tenant's row is still forbidden.
        Assert.Equal(HttpStatusCode.Forbidden, (await WriteSecurityTests.PostAsync(server, "/v1/events/orders", """{"tenant":"b","item":"x","qty":1}""", token)).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(11));
        var expired = await WriteSecurityTests.PostAsync(server, "/v1/events/orders", """{"item":"z","qty":1}""", token);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("invalid token: expired", (string?)JsonNode.Parse(await expired.Content.ReadAsStringAsync())!["error"]);
    }
}
