namespace Wavelet.DataPlane.Tests;

/// <summary>The exact bodies and messages upstream Wavelet's clients parse (docs/protocol.md).</summary>
public sealed class ProtocolConformanceTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    private const int BodyLimit = 512;
    private const string AllowedOrigin = "https://app.example";
    private DataPlaneServer _server = null!;

    public async Task InitializeAsync() => _server = await DataPlaneServer.StartAsync(rw, configure: c =>
    {
        c.Limits.MaxRequestBodyBytes = BodyLimit;
        c.Cors = new Wavelet.Api.DataPlane.CorsConfig { AllowedOrigins = [AllowedOrigin] };
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Listing_routes_answer_exactly_the_upstream_bodies()
    {
        await AssertBodyAsync(HttpStatusCode.OK, """{"status":"ok"}""", await SendAsync(HttpMethod.Get, "/v1/health"));
        await AssertBodyAsync(HttpStatusCode.OK, """{"queries":["per_item","totals"]}""", await SendAsync(HttpMethod.Get, "/v1/queries"));
        await AssertBodyAsync(HttpStatusCode.OK, """{"events":["orders"]}""", await SendAsync(HttpMethod.Get, "/v1/events"));
        await AssertErrorAsync(HttpStatusCode.NotFound, """{"error":"event 'nope' not found","available_events":["orders"]}""", await SendAsync(HttpMethod.Post, "/v1/events/nope", "{}", DataPlaneServer.Token("a")));
        var unknownRoute = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, "/v2/anything")).Content.ReadAsStringAsync())!;
        Assert.Equal("not found", (string?)unknownRoute["error"]);
        Assert.Contains("GET /v1/queries/{name}", unknownRoute["routes"]!.AsArray().Select(r => (string?)r));
    }

    [Fact]
    public async Task Query_reads_filter_by_column_values_and_name_an_unknown_column()
    {
        await _server.InsertAsync("a", "avocado", 7);
        var token = DataPlaneServer.Token(new[] { "a", "b" });
        await Wavelet.Testing.Eventually.UntilAsync(async () =>
            (await (await SendAsync(HttpMethod.Get, "/v1/queries/per_item", token: token)).Content.ReadAsStringAsync()).Contains("avocado", StringComparison.Ordinal), "the insert reached the data plane");

        await AssertBodyAsync(HttpStatusCode.OK, """{"query":"per_item","rows":[{"tenant":"a","item":"avocado","qty":"7"}]}""", await SendAsync(HttpMethod.Get, "/v1/queries/per_item?item=avocado", token: token));
        await AssertBodyAsync(HttpStatusCode.OK, """{"query":"per_item","rows":[{"tenant":"b","item":"bread","qty":"2"}]}""", await SendAsync(HttpMethod.Get, "/v1/queries/per_item?tenant=b&qty=2", token: token));
        await AssertBodyAsync(HttpStatusCode.OK, """{"query":"per_item","rows":[]}""", await SendAsync(HttpMethod.Get, "/v1/queries/per_item?item=avocado&tenant=b", token: token));

        // The column filter never widens the token's rows.
        await AssertBodyAsync(HttpStatusCode.OK, """{"query":"per_item","rows":[]}""", await SendAsync(HttpMethod.Get, "/v1/queries/per_item?tenant=b", token: DataPlaneServer.Token("a")));

        var unknown = await SendAsync(HttpMethod.Get, "/v1/queries/per_item?colour=red", token: token);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var error = (string?)JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["error"];
        Assert.Contains("'colour'", error, StringComparison.Ordinal);
        Assert.Contains("tenant, item, qty", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_answer_ok_and_count_and_an_oversized_body_is_413_with_nothing_written()
    {
        var token = DataPlaneServer.Token("a");
        var before = await _server.OrderCountAsync();
        await AssertBodyAsync(HttpStatusCode.OK, """{"ok":true}""", await SendAsync(HttpMethod.Post, "/v1/events/orders", """{"item":"one","qty":1}""", token));
        await AssertBodyAsync(HttpStatusCode.OK, """{"ok":true,"count":2}""", await SendAsync(HttpMethod.Post, "/v1/events/orders/batch", """[{"item":"two","qty":2},{"item":"three","qty":3}]""", token));
        Assert.Equal(before + 3, await _server.OrderCountAsync());

        var oversized = "[" + string.Join(',', Enumerable.Range(0, 40).Select(i => $$"""{"item":"row{{i}}","qty":{{i}}}""")) + "]";
        Assert.True(Encoding.UTF8.GetByteCount(oversized) > BodyLimit);
        var withLength = await SendAsync(HttpMethod.Post, "/v1/events/orders/batch", oversized, token);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, withLength.StatusCode);
        Assert.Contains($"{BodyLimit}", (string?)JsonNode.Parse(await withLength.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);

        // Chunked, so the server cannot refuse it by Content-Length up front.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/events/orders/batch", UriKind.Relative))
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(oversized))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        chunked.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var streamed = await _server.Http.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Contains($"{BodyLimit}", (string?)JsonNode.Parse(await streamed.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);

        Assert.Equal(before + 3, await _server.OrderCountAsync());
    }

    [Fact]
    public async Task Cors_preflight_allows_the_configured_origin_only()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri("/v1/events/orders", UriKind.Relative));
        preflight.Headers.Add("Origin", AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        var allowed = await _server.Http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal([AllowedOrigin], allowed.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("Authorization", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);

        using var simple = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/queries", UriKind.Relative));
        simple.Headers.Add("Origin", AllowedOrigin);
        Assert.Equal([AllowedOrigin], (await _server.Http.SendAsync(simple)).Headers.GetValues("Access-Control-Allow-Origin"));

        using var foreign = new HttpRequestMessage(HttpMethod.Options, new Uri("/v1/events/orders", UriKind.Relative));
        foreign.Headers.Add("Origin", "https://evil.example");
        foreign.Headers.Add("Access-Control-Request-Method", "POST");
        Assert.False((await _server.Http.SendAsync(foreign)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task WebSocket_messages_have_exactly_the_upstream_fields()
    {
        await using var client = await _server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        AssertJson("""{"type":"connected","query":"per_item"}""", (await client.ReceiveAsync())!.Value);
        AssertJson("""{"type":"snapshot","query":"per_item","rows":[{"tenant":"a","item":"apple","qty":"1"}]}""", (await client.ReceiveAsync())!.Value);

        await _server.InsertAsync("a", "apple", 2);
        var update = (await client.ReceiveAsync())!.Value;
        var cursor = update.GetProperty("cursor").GetString()!;
        Assert.Matches("^[0-9]+$", cursor);
        AssertJson($$"""{"type":"diff","query":"per_item","cursor":"{{cursor}}","inserted":[],"updated":[{"tenant":"a","item":"apple","qty":"3"}],"deleted":[{"tenant":"a","item":"apple","qty":"1"}]}""", update);

        await _server.InsertAsync("a", "cherry", 1);
        var insert = (await client.ReceiveAsync())!.Value;
        Assert.True(long.Parse(insert.GetProperty("cursor").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture));
        AssertJson($$"""{"type":"diff","query":"per_item","cursor":"{{insert.GetProperty("cursor").GetString()}}","inserted":[{"tenant":"a","item":"cherry","qty":"1"}],"updated":[],"deleted":[]}""", insert);
    }

    private static void AssertJson(string expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.GetRawText())), $"expected {expected}\nactual   {actual.GetRawText()}");

    private static async Task AssertBodyAsync(HttpStatusCode status, string expected, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(body)), $"expected {expected}\nactual   {body}");
    }

    /// <summary>
    /// An error is RFC 7807 problem details (<c>application/problem+json</c>, <c>status</c>, <c>detail</c>) whose upstream
    /// members (<c>error</c>, <c>available_*</c>, <c>routes</c>) are exactly upstream's.
    /// </summary>
    private static async Task AssertErrorAsync(HttpStatusCode status, string upstreamMembers, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var actual = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)status, (int?)actual["status"]);
        Assert.Equal((string?)actual["error"], (string?)actual["detail"]);
        Assert.True(actual["type"] is not null && actual["title"] is not null && actual["traceId"] is not null, body);
        foreach (var (name, value) in JsonNode.Parse(upstreamMembers)!.AsObject())
        {
            Assert.True(JsonNode.DeepEquals(value, actual[name]), $"expected {name}: {value?.ToJsonString()}\nactual   {body}");
        }
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string? token = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return _server.Http.SendAsync(request);
    }
}
