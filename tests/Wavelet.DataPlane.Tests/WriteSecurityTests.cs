namespace Wavelet.DataPlane.Tests;

/// <summary>Who may write which tenant's rows, whatever spec.auth.writes says (docs/security.md, "Writes").</summary>
public sealed class WriteSecurityTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    [Fact]
    public async Task Public_writes_still_need_a_token_for_an_event_with_a_tenant_column()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, configure: c =>
        {
            c.Auth.Writes = "Public";
            c.Events.Add(new EventConfig { Name = "notes", Table = "notes", Columns = [new ColumnConfig { Name = "body", Type = "string" }] });
        });
        await using (var db = rw.CreateDataSource())
        {
            await using var create = db.CreateCommand($"CREATE TABLE {server.Schema}.notes (body varchar)");
            await create.ExecuteNonQueryAsync();
        }

        var before = await server.OrderCountAsync();
        var anonymous = await PostAsync(server, "/v1/events/orders", """{"tenant":"victim-tenant","item":"x","qty":1}""", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var error = (string?)JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!["error"];
        Assert.Contains("tenant column of query 'per_item'", error, StringComparison.Ordinal);
        Assert.Contains("'tenant' claim", error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(server, "/v1/events/orders/batch", """[{"tenant":"victim-tenant","item":"x","qty":1}]""", token: null)).StatusCode);
        Assert.Equal(before, await server.OrderCountAsync());

        // With a token the tenant rules apply as before: own tenant accepted, another refused.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(server, "/v1/events/orders", """{"item":"x","qty":1}""", DataPlaneServer.Token("a"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(server, "/v1/events/orders", """{"tenant":"victim-tenant","item":"x","qty":1}""", DataPlaneServer.Token("a"))).StatusCode);
        Assert.Equal(before + 1, await server.OrderCountAsync());

        // An event without a tenant column stays public.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(server, "/v1/events/notes", """{"body":"hello"}""", token: null)).StatusCode);
    }

    [Fact]
    public async Task A_database_error_is_logged_and_the_client_gets_a_generic_message_with_the_request_id()
    {
        var logs = new CapturedLogs();
        await using var server = await DataPlaneServer.StartAsync(rw, services: s => s.AddSingleton<ILoggerProvider>(logs));
        await using (var db = rw.CreateDataSource())
        {
            await using var drop = db.CreateCommand($"DROP TABLE {server.Schema}.orders CASCADE");
            await drop.ExecuteNonQueryAsync();
        }

        var response = await PostAsync(server, "/v1/events/orders", """{"item":"x","qty":1}""", DataPlaneServer.Token("a"));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"];
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.Equal($"the database refused the write; the server log has the details under request id {requestId}", error);
        Assert.DoesNotContain(server.Schema, error, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Contains(requestId, StringComparison.Ordinal) && l.Contains(server.Schema, StringComparison.Ordinal));
    }

    internal static async Task<HttpResponseMessage> PostAsync(DataPlaneServer server, string path, string body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return await server.Http.SendAsync(request);
    }
}

/// <summary>Keeps every formatted log line, to check what the server logged.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue(formatter(state, exception));
    }
}
