namespace Wavelet.DataPlane.Tests;

/// <summary>A real data-plane host on a loopback port, fed by the RisingWave simulator, with a tenant-filtered query.</summary>
internal sealed class DataPlaneServer : IAsyncDisposable
{
    public const string Secret = "test-signing-key-of-at-least-32-bytes!!";

    /// <summary>A second key, in environment variable JWT2, for tests that switch the config's auth.jwt.secretEnv.</summary>
    public const string OtherSecret = "another-test-signing-key-of-32-bytes!!";

    /// <summary>The webhook HMAC key, in environment variable WEBHOOK, for configs that add a webhook.</summary>
    public const string WebhookSecret = "test-webhook-signing-key";
    private readonly WebApplication _app;

    private DataPlaneServer(WebApplication app, string schema, RisingWaveFixture rw, DataPlaneConfig config)
    {
        _app = app;
        Config = config;
        Schema = schema;
        Rw = rw;
        var management = app.Services.GetRequiredService<ManagementListener>().Port;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        BaseUri = addresses.First(a => a.Port != management);
        Http = new HttpClient { BaseAddress = BaseUri };
        Management = management is { } port ? new HttpClient { BaseAddress = new UriBuilder(BaseUri) { Port = port }.Uri } : Http;
    }

    /// <summary>Client for /readyz and /metrics: the management port when the server has one, else the client port.</summary>
    public HttpClient Management { get; }

    public string Schema { get; }

    /// <summary>The config the server started with.</summary>
    public DataPlaneConfig Config { get; }

    public RisingWaveFixture Rw { get; }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    /// <summary>The running host, e.g. to stop it the way SIGTERM does or to read its services.</summary>
    public WebApplication App => _app;

    /// <summary>
    /// Webhook receivers and JWKS servers in tests are on loopback, so loopback egress is allowed here (args may turn it
    /// off again: the last value wins).
    /// Schema with table orders(tenant, item, qty), MV per_item (filtered by tenant) and MV totals (unfiltered).
    /// <paramref name="setup"/> adds more objects to the schema (the data source and the schema name) before the server starts.
    /// With <paramref name="files"/> the config is written there and live-reloaded from it (change notifications only:
    /// the poll interval is an hour, so a test passes only if the directory swap itself is noticed).
    /// </summary>
    public static async Task<DataPlaneServer> StartAsync(RisingWaveFixture rw, KubernetesConfigDirectory? files = null, Action<DataPlaneConfig>? configure = null, string[]? args = null, Action<IServiceCollection>? services = null, Func<NpgsqlDataSource, string, Task>? setup = null)
    {
        var schema = "dp_" + Guid.NewGuid().ToString("N")[..10];
        await using (var db = rw.CreateDataSource())
        {
            foreach (var sql in new[]
            {
                $"CREATE SCHEMA {schema}", $"CREATE TABLE {schema}.orders (tenant varchar, item varchar, qty int)",
                $"INSERT INTO {schema}.orders VALUES ('a', 'apple', 1), ('b', 'bread', 2)",
                $"CREATE MATERIALIZED VIEW {schema}.per_item AS SELECT tenant, item, sum(qty)::bigint AS qty FROM {schema}.orders GROUP BY tenant, item",
                $"CREATE MATERIALIZED VIEW {schema}.totals AS SELECT count(*) AS orders FROM {schema}.orders",
                $"CREATE SUBSCRIPTION {schema}.wavelet_sub_per_item FROM {schema}.per_item WITH (retention = '1h')",
                $"CREATE SUBSCRIPTION {schema}.wavelet_sub_totals FROM {schema}.totals WITH (retention = '1h')",
            })
            {
                await using var command = db.CreateCommand(sql);
                await command.ExecuteNonQueryAsync();
            }

            if (setup is not null)
            {
                await setup(db, schema);
            }
        }

        var config = new DataPlaneConfig
        {
            Project = "apps/test",
            Database = new DatabaseConfig { UrlEnv = "DB", Schema = schema },
            Queries =
            [
                new QueryConfig { Name = "per_item", Subscription = "wavelet_sub_per_item", FilterBy = "tenant", FilterClaim = "tenant", SpecHash = "1" },
                new QueryConfig { Name = "totals", Subscription = "wavelet_sub_totals", SpecHash = "1" },
            ],
            Events =
            [
                new EventConfig
                {
                    Name = "orders", Table = "orders",
                    Columns = [new ColumnConfig { Name = "tenant", Type = "string" }, new ColumnConfig { Name = "item", Type = "string" }, new ColumnConfig { Name = "qty", Type = "int" }],
                },
            ],
            Auth = new AuthConfig { Jwt = new JwtConfig { SecretEnv = "JWT" }, Writes = "Authenticated" },
        };
        configure?.Invoke(config);
        var environment = new Dictionary<string, string> { ["DB"] = rw.Url, ["JWT"] = Secret, ["JWT2"] = OtherSecret, ["WEBHOOK"] = WebhookSecret };
        ConfigFile? file = null;
        if (files is not null)
        {
            files.Write(config);
            (config, file) = await ConfigLoader.ReadFileAsync(files.FilePath, CancellationToken.None);
        }

        var app = DataPlaneHost.Build(config, ["--urls", "http://127.0.0.1:0", "--DataPlane:DrainDelay", "00:00:00", "--DataPlane:ConfigPollInterval", "01:00:00", "--DataPlane:Egress:AllowLoopback", "true", .. args ?? []], name => environment.GetValueOrDefault(name), services, file);
        await app.StartAsync();
        var server = new DataPlaneServer(app, schema, rw, config);
        await Wavelet.Testing.Eventually.UntilAsync(async () => (await server.Management.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode, "every feed has its snapshot");
        return server;
    }

    public static string Token(object? tenant, DateTime? expires = null, string secret = Secret, string? issuer = null, string? audience = null)
    {
        var claims = new Dictionary<string, object>();
        if (tenant is not null)
        {
            claims["tenant"] = tenant;
        }

        return TestTokens.Hs256(secret, claims, expires, issuer, audience);
    }

    public Task<LiveSocket> ConnectAsync(string query, string? token, long? cursor = null) => LiveSocket.ConnectAsync(BaseUri, query, token, cursor);

    /// <summary>GET /v1/queries/{query} with a bearer token: the rows, or null while the server does not serve them.</summary>
    public async Task<JsonElement?> RowsAsync(string query, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v1/queries/{query}", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("rows").Clone()
            : null;
    }

    /// <summary>Inserts through RisingWave directly and makes it visible to cursors.</summary>
    public async Task InsertAsync(string tenant, string item, int qty)
    {
        await using var db = Rw.CreateDataSource();
        await using var command = db.CreateCommand($"INSERT INTO {Schema}.orders VALUES ($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = item });
        command.Parameters.Add(new NpgsqlParameter { Value = qty });
        await command.ExecuteNonQueryAsync();
        await Rw.Simulator!.BarrierAsync();
    }

    /// <summary>The value of a counter in /metrics for one query (0 when the series does not exist yet).</summary>
    public async Task<double> CounterAsync(string metric, string query)
    {
        var prefix = $"{metric}{{query=\"{query}\"}} ";
        var text = await Management.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The value of one series in /metrics, named with its labels (0 when it does not exist yet).</summary>
    public async Task<double> CounterValueAsync(string series)
    {
        var text = await Management.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<long> OrderCountAsync()
    {
        await using var db = Rw.CreateDataSource();
        await using var command = db.CreateCommand($"SELECT count(*) FROM {Schema}.orders");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (Management != Http)
        {
            Management.Dispose();
        }

        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
