using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Wavelet.DataPlane.Tests;

/// <summary>MCP at /mcp, driven by the official MCP C# client against a real data-plane host fed by the RisingWave simulator.</summary>
public sealed class McpTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    private static readonly string[] FastNotify = ["--DataPlane:Mcp:NotifyInterval", "00:00:00.050"];

    [Fact]
    public async Task Tenant_a_never_sees_tenant_b_rows_through_any_tool_or_resource()
    {
        await using var server = await StartAsync();
        await using var a = await ConnectAsync(server, DataPlaneServer.Token("a"));
        await using var b = await ConnectAsync(server, DataPlaneServer.Token("b"));

        Assert.Equal(["a"], Tenants(await ToolJsonAsync(a, "read_query", new() { ["query"] = "per_item" })));
        Assert.Equal(["b"], Tenants(await ToolJsonAsync(b, "read_query", new() { ["query"] = "per_item" })));
        Assert.Empty(Tenants(await ToolJsonAsync(a, "read_query", new() { ["query"] = "per_item", ["filters"] = new Dictionary<string, object?> { ["tenant"] = "b" } })));
        Assert.Equal(["a"], Tenants(await ResourceJsonAsync(a, "wavelet://queries/per_item")));
        Assert.Equal(["b"], Tenants(await ResourceJsonAsync(b, "wavelet://queries/per_item")));

        var queries = await ToolJsonAsync(a, "list_queries", []);
        var perItem = queries.GetProperty("queries").EnumerateArray().Single(q => q.GetProperty("name").GetString() == "per_item");
        Assert.Equal("tenant", perItem.GetProperty("filterClaim").GetString());
        Assert.Equal(["tenant", "item", "qty"], perItem.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var tables = await ToolJsonAsync(a, "describe_tables", []);
        Assert.Equal("tenant", tables.GetProperty("events")[0].GetProperty("columns")[0].GetProperty("forcedToClaim").GetString());
        Assert.Contains((await a.ListResourcesAsync()).Select(r => r.Uri), uri => uri == "wavelet://queries/per_item");

        // Writes: the tenant column is forced to the caller's claim; another tenant's value is refused.
        var forced = await ToolJsonAsync(a, "emit_event", new() { ["event"] = "orders", ["data"] = new Dictionary<string, object?> { ["item"] = "apricot", ["qty"] = 1 } });
        Assert.True(forced.GetProperty("ok").GetBoolean());
        var refused = await Assert.ThrowsAsync<McpProtocolException>(() => a.CallToolAsync("emit_event", new Dictionary<string, object?> { ["event"] = "orders", ["data"] = new Dictionary<string, object?> { ["tenant"] = "b", ["item"] = "x", ["qty"] = 1 } }).AsTask());
        Assert.Contains("another tenant", refused.Message, StringComparison.Ordinal);
        await server.Rw.Simulator!.BarrierAsync();
        await Eventually.UntilAsync(async () => (await ToolJsonAsync(a, "read_query", new() { ["query"] = "per_item", ["filters"] = new Dictionary<string, object?> { ["item"] = "apricot" } })).GetProperty("rows").GetArrayLength() == 1,
            "tenant a reads its own forced write");
        Assert.Empty((await ToolJsonAsync(b, "read_query", new() { ["query"] = "per_item", ["filters"] = new Dictionary<string, object?> { ["item"] = "apricot" } })).GetProperty("rows").EnumerateArray());

        // Subscriptions: each session is told only about changes to rows it may see.
        var updatesA = new ConcurrentQueue<string>();
        var updatesB = new ConcurrentQueue<string>();
        await using var subA = await a.SubscribeToResourceAsync("wavelet://queries/per_item", (n, _) => { updatesA.Enqueue(n.Uri); return ValueTask.CompletedTask; });
        await using var subB = await b.SubscribeToResourceAsync("wavelet://queries/per_item", (n, _) => { updatesB.Enqueue(n.Uri); return ValueTask.CompletedTask; });
        await server.InsertAsync("b", "bagel", 1);
        await Eventually.UntilAsync(() => updatesB.Count == 1, "tenant b is told its rows changed");
        await server.InsertAsync("a", "almond", 1);
        await Eventually.UntilAsync(() => updatesA.Count == 1, "tenant a is told its rows changed");
        Assert.Equal(["wavelet://queries/per_item"], updatesA);
        Assert.Single(updatesB); // a's change is not b's business
        Assert.Equal(["a"], Tenants(await ResourceJsonAsync(a, "wavelet://queries/per_item")));
    }

    [Fact]
    public async Task A_token_without_the_querys_filter_claim_is_refused_by_read_query_resource_reads_and_subscribe()
    {
        await using var server = await StartAsync();
        await using var none = await ConnectAsync(server, DataPlaneServer.Token(null));
        const string expected = "token has no 'tenant' claim required by query 'per_item'";

        var tool = await Assert.ThrowsAsync<McpProtocolException>(() => none.CallToolAsync("read_query", new Dictionary<string, object?> { ["query"] = "per_item" }).AsTask());
        Assert.Contains(expected, tool.Message, StringComparison.Ordinal);
        var resource = await Assert.ThrowsAsync<McpProtocolException>(() => none.ReadResourceAsync("wavelet://queries/per_item").AsTask());
        Assert.Contains(expected, resource.Message, StringComparison.Ordinal);
        var subscribe = await Assert.ThrowsAsync<McpProtocolException>(() => none.SubscribeToResourceAsync("wavelet://queries/per_item"));
        Assert.Contains(expected, subscribe.Message, StringComparison.Ordinal);

        // The session itself stays usable: the refusal is about that query, not the token.
        Assert.Contains((await none.ListResourcesAsync()).Select(r => r.Uri), uri => uri == "wavelet://queries/per_item");
    }

    [Fact]
    public async Task A_wrong_or_expired_or_missing_token_is_refused_before_mcp()
    {
        await using var server = await StartAsync();
        foreach (var token in new[]
        {
            DataPlaneServer.Token("a", secret: DataPlaneServer.OtherSecret),
            DataPlaneServer.Token("a", expires: DateTime.UtcNow.AddMinutes(-5)),
            "not-a-jwt",
        })
        {
            await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(server, token));
            using var response = await PostInitializeAsync(server, token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using (var anonymous = await PostInitializeAsync(server, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        Assert.True(await server.CounterValueAsync("wavelet_mcp_refused_total{reason=\"unauthorized\"}") >= 7);
    }

    [Fact]
    public async Task A_session_opened_with_tenant_a_token_is_refused_to_a_tenant_b_token()
    {
        await using var server = await StartAsync();
        using var opened = await PostInitializeAsync(server, DataPlaneServer.Token("a"));
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var session = opened.Headers.GetValues("Mcp-Session-Id").Single();

        foreach (var (token, expected) in new[] { (DataPlaneServer.Token("b"), HttpStatusCode.Forbidden), (DataPlaneServer.Token("a"), HttpStatusCode.OK) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
            {
                Content = new StringContent("""{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"wavelet://queries/per_item"}}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Authorization = new("Bearer", token);
            request.Headers.Add("Mcp-Session-Id", session);
            request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
            using var response = await server.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
            Assert.DoesNotContain("bread", body, StringComparison.Ordinal); // tenant b's row, in either case
        }
    }

    [Fact]
    public async Task A_subscription_ends_when_its_token_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await DataPlaneServer.StartAsync(rw, configure: config => config.Mcp = new McpConfig { Enabled = true }, args: FastNotify,
            services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        await using var a = await ConnectAsync(server, DataPlaneServer.Token("a", expires: DateTime.UtcNow.AddMinutes(10)));
        var updates = new ConcurrentQueue<string>();
        var subscription = await a.SubscribeToResourceAsync("wavelet://queries/per_item", (n, _) => { updates.Enqueue(n.Uri); return ValueTask.CompletedTask; });
        Assert.Equal(1, await server.CounterValueAsync("wavelet_mcp_subscriptions"));

        await server.InsertAsync("a", "acorn", 1);
        await Eventually.UntilAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            return updates.Count == 1;
        }, "the change is notified while the token is valid");

        clock.Advance(TimeSpan.FromMinutes(11));
        await Eventually.UntilAsync(async () => await server.CounterValueAsync("wavelet_mcp_subscriptions") == 0, "the expired token's subscription is dropped");
        Assert.Equal(1, await server.CounterValueAsync("wavelet_mcp_notifications_total{query=\"per_item\"}"));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => subscription.DisposeAsync().AsTask()); // even unsubscribing needs a valid token
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_bad_tool_argument_is_an_mcp_error_and_writes_nothing()
    {
        await using var server = await StartAsync();
        await using var a = await ConnectAsync(server, DataPlaneServer.Token("a"));
        var before = await server.OrderCountAsync();
        var bad = new (string Tool, Dictionary<string, object?> Arguments, string Message)[]
        {
            ("emit_event", new() { ["event"] = "orders", ["data"] = new Dictionary<string, object?> { ["item"] = "x", ["qty"] = "many" } }, "qty"),
            ("emit_event", new() { ["event"] = "nope", ["data"] = new Dictionary<string, object?> { ["item"] = "x" } }, "unknown event"),
            ("emit_event", new() { ["event"] = "orders" }, "data"),
            ("emit_batch", new() { ["event"] = "orders", ["rows"] = new object[] { new Dictionary<string, object?> { ["item"] = "ok", ["qty"] = 1 }, new Dictionary<string, object?> { ["item"] = "bad", ["qty"] = 1.5 } } }, "qty"),
            ("read_query", new() { ["query"] = "per_item", ["filters"] = new Dictionary<string, object?> { ["colour"] = "red" } }, "unknown column"),
            ("read_query", new() { ["query"] = "per_item", ["limit"] = 0 }, "limit"),
            ("read_query", new() { ["query"] = "missing" }, "unknown query"),
            ("no_such_tool", new(), "unknown tool"),
        };
        foreach (var (tool, arguments, message) in bad)
        {
            var error = await Assert.ThrowsAsync<McpProtocolException>(() => a.CallToolAsync(tool, arguments).AsTask());
            Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, await server.OrderCountAsync());
        Assert.Equal(bad.Length, await server.CounterValueAsync("wavelet_mcp_requests_total{operation=\"emit_event\",result=\"invalid\"}")
            + await server.CounterValueAsync("wavelet_mcp_requests_total{operation=\"emit_batch\",result=\"invalid\"}")
            + await server.CounterValueAsync("wavelet_mcp_requests_total{operation=\"read_query\",result=\"invalid\"}")
            + await server.CounterValueAsync("wavelet_mcp_requests_total{operation=\"unknown\",result=\"invalid\"}"));

        var batch = await ToolJsonAsync(a, "emit_batch", new() { ["event"] = "orders", ["rows"] = new object[] { new Dictionary<string, object?> { ["item"] = "p", ["qty"] = 1 }, new Dictionary<string, object?> { ["item"] = "q", ["qty"] = 2 } } });
        Assert.Equal(2, batch.GetProperty("count").GetInt32());
        Assert.Equal(before + 2, await server.OrderCountAsync());
        Assert.Equal(1, await server.CounterValueAsync("wavelet_mcp_requests_total{operation=\"emit_batch\",result=\"ok\"}"));
    }

    [Fact]
    public async Task Mcp_is_off_unless_the_project_enables_it()
    {
        await using var server = await DataPlaneServer.StartAsync(rw);
        using var response = await PostInitializeAsync(server, DataPlaneServer.Token("a"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("spec.dataPlane.mcp.enabled", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(server, DataPlaneServer.Token("a")));
    }

    private Task<DataPlaneServer> StartAsync() =>
        DataPlaneServer.StartAsync(rw, configure: config => config.Mcp = new McpConfig { Enabled = true }, args: FastNotify);

    private static async Task<McpClient> ConnectAsync(DataPlaneServer server, string token)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.BaseUri, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        });
        return await McpClient.CreateAsync(transport);
    }

    private static async Task<HttpResponseMessage> PostInitializeAsync(DataPlaneServer server, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return await server.Http.SendAsync(request);
    }

    private static async Task<JsonElement> ToolJsonAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        Assert.NotEqual(true, result.IsError);
        return JsonDocument.Parse(Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text).RootElement.Clone();
    }

    private static async Task<JsonElement> ResourceJsonAsync(McpClient client, string uri)
    {
        var result = await client.ReadResourceAsync(uri);
        return JsonDocument.Parse(Assert.IsType<TextResourceContents>(Assert.Single(result.Contents)).Text).RootElement.Clone();
    }

    private static List<string> Tenants(JsonElement body) =>
        body.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("tenant").GetString()!).Distinct().Order().ToList();
}
