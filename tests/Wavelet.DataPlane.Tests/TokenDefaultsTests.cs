
namespace Wavelet.DataPlane.Tests;

/// <summary>Stricter token defaults (#18): exp required, capped clock skew, a missing filter claim refused, array claims per project.</summary>
public sealed class TokenDefaultsTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    [Fact]
    public async Task A_token_without_exp_is_refused_unless_the_project_allows_long_lived_tokens()
    {
        var eternal = Token(new Dictionary<string, object> { ["tenant"] = "a" }, expires: null);
        await using (var server = await DataPlaneServer.StartAsync(rw))
        {
            await AssertRefusedAsync(server, eternal, "invalid token: no exp claim", HttpStatusCode.Unauthorized);
        }

        await using var allowing = await DataPlaneServer.StartAsync(rw, configure: c => c.Auth.Jwt!.AllowTokensWithoutExpiry = true);
        await using var socket = await allowing.ConnectAsync("per_item", eternal);
        await socket.ReceiveTypeAsync("snapshot");
    }

    [Fact]
    public async Task Clock_skew_follows_the_project_up_to_five_minutes()
    {
        var expiredTwoMinutesAgo = Token(new Dictionary<string, object> { ["tenant"] = "a" }, DateTime.UtcNow.AddMinutes(-2));
        var expiredTenMinutesAgo = Token(new Dictionary<string, object> { ["tenant"] = "a" }, DateTime.UtcNow.AddMinutes(-10));
        await using (var strict = await DataPlaneServer.StartAsync(rw))
        {
            await AssertRefusedAsync(strict, expiredTwoMinutesAgo, "invalid token: expired", HttpStatusCode.Unauthorized);
        }

        await using var lenient = await DataPlaneServer.StartAsync(rw, configure: c => c.Auth.Jwt!.ClockSkewSeconds = 86_400);
        await using var socket = await lenient.ConnectAsync("per_item", expiredTwoMinutesAgo);
        await socket.ReceiveTypeAsync("snapshot");
        await AssertRefusedAsync(lenient, expiredTenMinutesAgo, "invalid token: expired", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_array_claim_grants_the_union_unless_the_project_asks_for_a_single_value()
    {
        var both = DataPlaneServer.Token(new[] { "a", "b" });
        await using var single = await DataPlaneServer.StartAsync(rw, configure: c => c.Auth.Jwt!.ArrayClaims = "Single");
        await AssertRefusedAsync(single, both, "token's 'tenant' claim lists several values", HttpStatusCode.Forbidden);
        await using var one = await single.ConnectAsync("per_item", DataPlaneServer.Token(new[] { "a" }));
        await one.ReceiveTypeAsync("snapshot");
    }

    /// <summary>The WebSocket is closed with 4000 and the reason, and an HTTP read answers the same reason.</summary>
    private static async Task AssertRefusedAsync(DataPlaneServer server, string token, string reason, HttpStatusCode status)
    {
        await using var socket = await server.ConnectAsync("per_item", token);
        await socket.AssertClosedAsync(CloseCodes.Rejected);
        Assert.StartsWith(reason, socket.Socket.CloseStatusDescription, StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/queries/per_item", UriKind.Relative));
        request.Headers.Authorization = new("Bearer", token);
        var response = await server.Http.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith(reason, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static string Token(Dictionary<string, object> claims, DateTime? expires) =>
        TestTokens.Hs256(DataPlaneServer.Secret, claims, expires, notBefore: expires is { } e && e < DateTime.UtcNow ? e.AddHours(-1) : null, defaultTimes: false);
}
