namespace Wavelet.DataPlane.Tests;

/// <summary>The data plane over real sockets, fed by the RisingWave simulator.</summary>
public sealed class LiveQueryTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    private DataPlaneServer _server = null!;

    public async Task InitializeAsync() => _server = await DataPlaneServer.StartAsync(rw);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static List<string> Items(JsonElement message, string array) =>
        message.GetProperty(array).EnumerateArray().Select(r => r.GetProperty("item").GetString()!).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Client_gets_connected_snapshot_then_diffs_in_the_upstream_shapes()
    {
        await using var client = await _server.ConnectAsync("per_item", DataPlaneServer.Token("a"));

        var connected = (await client.ReceiveAsync())!.Value;
        Assert.Equal("connected", connected.GetProperty("type").GetString());
        Assert.Equal("per_item", connected.GetProperty("query").GetString());
        var snapshot = (await client.ReceiveAsync())!.Value;
        Assert.Equal("snapshot", snapshot.GetProperty("type").GetString());
        Assert.Equal(["apple"], Items(snapshot, "rows"));

        await _server.InsertAsync("a", "cherry", 3);
        var inserted = await client.ReceiveTypeAsync("diff");
        Assert.Equal(["cherry"], Items(inserted, "inserted"));
        Assert.Empty(inserted.GetProperty("updated").EnumerateArray());
        Assert.Empty(inserted.GetProperty("deleted").EnumerateArray());
        Assert.True(long.TryParse(inserted.GetProperty("cursor").GetString(), out _));

        await _server.InsertAsync("a", "apple", 4);
        var updated = await client.ReceiveTypeAsync("diff");
        Assert.Equal("5", updated.GetProperty("updated")[0].GetProperty("qty").GetString());
        Assert.Equal("1", updated.GetProperty("deleted")[0].GetProperty("qty").GetString());
    }

    [Fact]
    public async Task A_tenant_never_sees_another_tenants_rows_and_a_token_without_the_claim_is_refused()
    {
        await using var a = await _server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await using var both = await _server.ConnectAsync("per_item", DataPlaneServer.Token(new[] { "a", "b" }));
        await using var none = await _server.ConnectAsync("per_item", DataPlaneServer.Token(null));
        Assert.Equal(["apple"], Items(await a.ReceiveTypeAsync("snapshot"), "rows"));
        Assert.Equal(["apple", "bread"], Items(await both.ReceiveTypeAsync("snapshot"), "rows"));
        await none.AssertClosedAsync(Fanout.CloseCodes.Rejected);
        Assert.Equal("token has no 'tenant' claim required by query 'per_item'", none.Socket.CloseStatusDescription);

        await _server.InsertAsync("b", "butter", 1);
        await _server.InsertAsync("a", "avocado", 1);

        Assert.Equal(["avocado"], Items(await a.ReceiveTypeAsync("diff"), "inserted"));
        Assert.Equal(["butter"], Items(await both.ReceiveTypeAsync("diff"), "inserted"));
        Assert.Equal(["avocado"], Items(await both.ReceiveTypeAsync("diff"), "inserted"));

        var read = await GetAsync("/v1/queries/per_item", DataPlaneServer.Token("b"));
        Assert.Equal(["bread", "butter"], read.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("item").GetString()!).Order(StringComparer.Ordinal));
        using var noClaim = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/queries/per_item", UriKind.Relative));
        noClaim.Headers.Authorization = new("Bearer", DataPlaneServer.Token(null));
        var refused = await _server.Http.SendAsync(noClaim);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("token has no 'tenant' claim required by query 'per_item'", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("wrong-signature")]
    [InlineData("alg-none")]
    [InlineData("garbage")]
    public async Task Bad_tokens_are_rejected_with_4000(string kind)
    {
        var token = kind switch
        {
            "expired" => DataPlaneServer.Token("a", DateTime.UtcNow.AddHours(-2)),
            "wrong-signature" => DataPlaneServer.Token("a", secret: "another-signing-key-of-32-bytes-long!!"),
            "alg-none" => Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64Url("{\"tenant\":\"a\"}") + ".",
            _ => "not-a-jwt",
        };
        await using var client = await _server.ConnectAsync("per_item", token);

        await client.AssertClosedAsync(4000, "token");
    }

    [Fact]
    public async Task Unknown_query_is_rejected_with_4000_and_http_reads_answer_404_with_the_available_queries()
    {
        await using var client = await _server.ConnectAsync("nope", DataPlaneServer.Token("a"));
        await client.AssertClosedAsync(4000);

        var response = await _server.Http.GetAsync(new Uri("/v1/queries/nope", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("per_item", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["per_item", "totals"], (await GetAsync("/v1/queries", null)).GetProperty("queries").EnumerateArray().Select(q => q.GetString()!));
    }

    [Fact]
    public async Task Connects_and_reads_issue_no_database_statements()
    {
        var sim = rw.Simulator!;
        var before = sim.Statements.Count(s => !s.Sql.StartsWith("FETCH", StringComparison.OrdinalIgnoreCase));
        for (var i = 0; i < 5; i++)
        {
            await using var client = await _server.ConnectAsync("totals", DataPlaneServer.Token("a"));
            await client.ReceiveTypeAsync("snapshot");
            await GetAsync("/v1/queries/totals", DataPlaneServer.Token("a"));
        }

        Assert.Equal(before, sim.Statements.Count(s => !s.Sql.StartsWith("FETCH", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Reconnecting_with_a_cursor_replays_exactly_the_missed_diffs()
    {
        long cursor;
        await using (var client = await _server.ConnectAsync("per_item", DataPlaneServer.Token("a")))
        {
            await client.ReceiveTypeAsync("snapshot");
            await _server.InsertAsync("a", "kiwi", 1);
            cursor = long.Parse((await client.ReceiveTypeAsync("diff")).GetProperty("cursor").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }

        await _server.InsertAsync("a", "lemon", 1);
        await _server.InsertAsync("a", "mango", 1);
        await Wavelet.Testing.Eventually.UntilAsync(async () =>
            (await GetAsync("/v1/queries/per_item", DataPlaneServer.Token("a"))).GetProperty("rows").GetArrayLength() == 4, "the data plane applied both epochs");

        await using var resumed = await _server.ConnectAsync("per_item", DataPlaneServer.Token("a"), cursor);
        Assert.Equal("connected", (await resumed.ReceiveAsync())!.Value.GetProperty("type").GetString());
        var first = (await resumed.ReceiveAsync())!.Value;
        var second = (await resumed.ReceiveAsync())!.Value;
        Assert.Equal(("diff", "diff"), (first.GetProperty("type").GetString(), second.GetProperty("type").GetString()));
        Assert.Equal(["lemon", "mango"], Items(first, "inserted").Concat(Items(second, "inserted")).Order(StringComparer.Ordinal));

        await using var tooOld = await _server.ConnectAsync("per_item", DataPlaneServer.Token("a"), 1);
        await tooOld.ReceiveTypeAsync("connected");
        Assert.Equal("snapshot", (await tooOld.ReceiveAsync())!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Writes_are_validated_forced_to_the_callers_tenant_and_bad_input_writes_nothing()
    {
        var before = await _server.OrderCountAsync();
        var cases = new (string Body, HttpStatusCode Status, string Fragment)[]
        {
            ("{\"tenant\":\"a\",\"item\":\"x\",\"qty\":\"many\"}", HttpStatusCode.BadRequest, "qty"),
            ("{\"tenant\":\"a\",\"item\":\"x\",\"colour\":\"red\"}", HttpStatusCode.BadRequest, "colour"),
            ("{\"tenant\":\"a\",", HttpStatusCode.BadRequest, "JSON"),
            ("", HttpStatusCode.BadRequest, "body"),
            ("{\"tenant\":\"b\",\"item\":\"x\",\"qty\":1}", HttpStatusCode.Forbidden, "tenant"),
        };
        foreach (var (body, status, fragment) in cases)
        {
            var response = await PostAsync("/v1/events/orders", body, DataPlaneServer.Token("a"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{body} → {response.StatusCode}: {text}");
            Assert.Contains(fragment, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("/v1/events/orders", "{\"item\":\"x\",\"qty\":1}", null)).StatusCode);
        Assert.Equal(before, await _server.OrderCountAsync());

        var ok = await PostAsync("/v1/events/orders/batch", "[{\"item\":\"x\",\"qty\":1},{\"item\":\"y\",\"qty\":2}]", DataPlaneServer.Token("a"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement.GetProperty("count").GetInt32());
        Assert.Equal(before + 2, await _server.OrderCountAsync());
    }

    private async Task<JsonElement> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await _server.Http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return _server.Http.SendAsync(request);
    }

    private static string Base64Url(string json) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(json);
}
