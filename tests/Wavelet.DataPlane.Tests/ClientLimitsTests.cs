using Wavelet.DataPlane.Limits;

namespace Wavelet.DataPlane.Tests;

/// <summary>Connection caps per address and per token, and the write rate limit (docs/security.md, "Limits").</summary>
public sealed class ClientLimitsTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    [Fact]
    public async Task Sockets_over_the_per_address_cap_get_429_before_the_upgrade_and_a_closed_one_frees_its_slot()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, configure: c =>
        {
            c.Limits.MaxConnectionsPerAddress = 3;
            c.Limits.MaxConnectionsPerToken = 0;
        });
        var open = new List<LiveSocket>();
        for (var i = 0; i < 3; i++)
        {
            open.Add(await server.ConnectAsync("totals", DataPlaneServer.Token($"t{i}")));
            await open[^1].ReceiveTypeAsync("snapshot");
        }

        var (status, body) = await RefusedUpgradeAsync(server, "totals", DataPlaneServer.Token("t9"));
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains("limit 3", body, StringComparison.Ordinal);

        await open[0].DisposeAsync();
        var limits = server.App.Services.GetRequiredService<ConnectionLimits>();
        await Wavelet.Testing.Eventually.UntilAsync(() => limits.OpenFor("127.0.0.1") == 2, "the closed socket's slot is given back");
        await using var again = await server.ConnectAsync("totals", DataPlaneServer.Token("t9"));
        await again.ReceiveTypeAsync("snapshot");
        foreach (var socket in open.Skip(1))
        {
            await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sockets_over_the_per_token_cap_get_429_while_refused_tokens_still_close_with_4000_and_take_no_slot()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, configure: c => c.Limits.MaxConnectionsPerToken = 2);
        var token = DataPlaneServer.Token("a");
        await using var first = await server.ConnectAsync("per_item", token);
        await using var second = await server.ConnectAsync("per_item", token);
        await first.ReceiveTypeAsync("snapshot");
        await second.ReceiveTypeAsync("snapshot");

        var (status, body) = await RefusedUpgradeAsync(server, "per_item", token);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains("with this token (limit 2)", body, StringComparison.Ordinal);

        // Another token of the same tenant is counted on its own.
        await using var other = await server.ConnectAsync("per_item", DataPlaneServer.Token("a", DateTime.UtcNow.AddHours(2)));
        await other.ReceiveTypeAsync("snapshot");

        // A bad token is refused the way clients expect (close 4000 with the reason), however often it is tried.
        for (var i = 0; i < 3; i++)
        {
            await using var forged = await server.ConnectAsync("per_item", DataPlaneServer.Token("a", secret: "a-forged-signing-key-of-32-bytes-long!"));
            await forged.AssertClosedAsync(CloseCodes.Rejected, "bad signature");
        }
    }

    [Fact]
    public async Task Writes_over_the_rate_limit_get_429_with_retry_after_and_write_nothing()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, configure: c =>
        {
            c.Limits.WritesPerSecond = 1;
            c.Limits.WriteBurst = 3;
        });
        var before = await server.OrderCountAsync();
        var token = DataPlaneServer.Token("a");
        var started = TimeProvider.System.GetTimestamp();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20; i++)
        {
            var response = await WriteSecurityTests.PostAsync(server, "/v1/events/orders", """{"item":"x","qty":1}""", token);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited ??= response;
            }
        }

        var elapsedSeconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
        var accepted = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.Equal(20, accepted + statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.InRange(accepted, 3, 3 + (int)Math.Ceiling(elapsedSeconds) + 1);
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("limit is 1 per second", (string?)JsonNode.Parse(await limited.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);
        Assert.Equal(before + accepted, await server.OrderCountAsync());
    }

    /// <summary>Tries an upgrade that the server refuses with an HTTP status, and returns that status and body.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> RefusedUpgradeAsync(DataPlaneServer server, string query, string token)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(server.BaseUri) { Scheme = "ws", Path = $"/subscribe/{query}", Query = "token=" + Uri.EscapeDataString(token) }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));

        // The body is not exposed by ClientWebSocket; ask once more over plain HTTP with the upgrade headers.
        using var request = new HttpRequestMessage(HttpMethod.Get, uri.ToString().Replace("ws://", "http://", StringComparison.Ordinal));
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(socket.HttpStatusCode, response.StatusCode);
        return (socket.HttpStatusCode, await response.Content.ReadAsStringAsync());
    }
}
