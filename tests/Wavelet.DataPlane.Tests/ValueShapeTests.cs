namespace Wavelet.DataPlane.Tests;

/// <summary>
/// The JSON shape of each RisingWave column type, as upstream Wavelet's server sends it: node-postgres 8's text parsers
/// (pg-types 2: int8 and numeric stay strings, numeric[] goes through parseFloat, dates become Date objects,
/// intervals postgres-interval 1 objects, bytea a Buffer, json parsed) followed by JSON.stringify under TZ=UTC.
/// Checked in snapshots, diffs, HTTP reads and webhooks, under both value shapes.
/// </summary>
public sealed class ValueShapeTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    /// <summary>Column, SQL type, SQL literal, upstream JSON, JSON under Numbers (null: same as upstream).</summary>
    private static readonly (string Column, string Type, string Literal, string Upstream, string? Numbers)[] Table =
    [
        ("i2", "smallint", "7", "7", null),
        ("i4", "integer", "-42", "-42", null),
        ("i8", "bigint", "9007199254740993", "\"9007199254740993\"", "9007199254740993"),
        ("i8_negative", "bigint", "-5", "\"-5\"", "-5"),
        ("num", "numeric", "12.50", "\"12.50\"", "12.50"),
        ("f4", "real", "1.5", "1.5", null),
        ("f8", "double precision", "2.25", "2.25", null),
        ("f8_nan", "double precision", "'NaN'", "null", null),
        ("flag", "boolean", "true", "true", null),
        ("txt", "varchar", "'héllo \"q\"'", "\"héllo \\\"q\\\"\"", null),
        ("day", "date", "'2024-02-29'", "\"2024-02-29T00:00:00.000Z\"", null),
        ("at", "timestamp", "'2024-01-02 03:04:05.678912'", "\"2024-01-02T03:04:05.678Z\"", null),
        ("at_tz", "timestamptz", "'2024-01-02 03:04:05.678912+02'", "\"2024-01-02T01:04:05.678Z\"", null),
        ("clock", "time", "'12:34:56.5'", "\"12:34:56.5\"", null),
        ("span", "interval", "'1 year 2 mons 3 days 04:05:06.789'", "{\"years\":1,\"months\":2,\"days\":3,\"hours\":4,\"minutes\":5,\"seconds\":6,\"milliseconds\":789}", null),
        ("span_negative", "interval", "'-00:00:01.5'", "{\"seconds\":-1,\"milliseconds\":-500}", null),
        ("span_zero", "interval", "'0'", "{}", null),
        ("raw", "bytea", "'\\x00ff10'::bytea", "{\"type\":\"Buffer\",\"data\":[0,255,16]}", null),
        ("doc", "jsonb", "'{\"a\":[1,\"x\",null],\"b\":{\"c\":true}}'", "{\"a\":[1,\"x\",null],\"b\":{\"c\":true}}", null),
        ("ints", "integer[]", "'{1,2}'", "[1,2]", null),
        ("bigs", "bigint[]", "'{1,-2}'", "[\"1\",\"-2\"]", "[1,-2]"),
        ("nums", "numeric[]", "'{1.50,2}'", "[1.5,2]", null),
        ("texts", "varchar[]", "'{a,b}'", "[\"a\",\"b\"]", null),
        ("missing", "integer", "NULL", "null", null),
    ];

    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("Upstream")]
    [InlineData("Numbers")]
    public async Task Every_type_has_the_shape_of_the_table_in_snapshots_diffs_reads_and_webhooks(string? shape)
    {
        await using var server = await DataPlaneServer.StartAsync(rw, setup: CreateTypesAsync, configure: config =>
        {
            if (shape is not null)
            {
                config.ValueShape = shape;
            }

            config.Queries.Add(new QueryConfig
            {
                Name = "shapes", Subscription = "wavelet_sub_shapes", SpecHash = "1",
                Webhook = new WebhookConfig { Url = _receiver.Url.ToString(), SecretEnv = "WEBHOOK" },
            });
        });
        var expected = Expected(shape ?? "Upstream", id: 1);
        var token = DataPlaneServer.Token("a");
        await using var client = await server.ConnectAsync("shapes", token);
        var snapshot = await client.ReceiveTypeAsync("snapshot");
        AssertRow(expected, snapshot.GetProperty("rows")[0], "snapshot");

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/v1/queries/shapes"))
        {
            request.Headers.Authorization = new("Bearer", token);
            using var response = await server.Http.SendAsync(request);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            AssertRow(expected, body.GetProperty("rows")[0], "HTTP read");
        }

        await InsertAsync(server, id: 2);
        var diff = await client.ReceiveTypeAsync("diff");
        AssertRow(Expected(shape ?? "Upstream", id: 2), diff.GetProperty("inserted")[0], "diff");

        await Eventually.UntilAsync(() => _receiver.Delivered.Count == 1, "the diff is posted to the webhook");
        var posted = JsonDocument.Parse(_receiver.Delivered[0].Body).RootElement;
        AssertRow(Expected(shape ?? "Upstream", id: 2), posted.GetProperty("inserted")[0], "webhook");
    }

    [Fact]
    public async Task Switching_the_value_shape_live_sends_open_sockets_a_fresh_snapshot_in_the_new_shape()
    {
        using var files = new KubernetesConfigDirectory();
        await using var server = await DataPlaneServer.StartAsync(rw, files);
        await using var client = await server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        Assert.Equal("\"1\"", (await client.ReceiveTypeAsync("snapshot")).GetProperty("rows")[0].GetProperty("qty").GetRawText());

        var numbers = KubernetesConfigDirectory.Clone(server.Config);
        numbers.ValueShape = "Numbers";
        files.Write(numbers);

        var fresh = await client.ReceiveTypeAsync("snapshot");
        Assert.Equal("1", fresh.GetProperty("rows")[0].GetProperty("qty").GetRawText());
        await server.InsertAsync("a", "apple", 2);
        Assert.Equal("3", (await client.ReceiveTypeAsync("diff")).GetProperty("updated")[0].GetProperty("qty").GetRawText());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/queries/per_item");
        request.Headers.Authorization = new("Bearer", DataPlaneServer.Token("a"));
        using var response = await server.Http.SendAsync(request);
        Assert.Equal("3", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("rows")[0].GetProperty("qty").GetRawText());
    }

    [Fact]
    public async Task An_unknown_value_shape_is_refused_with_the_choices()
    {
        using var files = new KubernetesConfigDirectory();
        var config = new DataPlaneConfig { ValueShape = "Strings" };
        files.Write(config);
        var error = await Assert.ThrowsAsync<Wavelet.DataPlane.Config.InvalidConfigException>(() => Wavelet.DataPlane.Config.ConfigLoader.ReadFileAsync(files.FilePath, CancellationToken.None));
        Assert.Contains("valueShape is 'Strings'; use Upstream or Numbers", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject Expected(string shape, int id)
    {
        var row = new JsonObject { ["id"] = id };
        foreach (var (column, _, _, upstream, numbers) in Table)
        {
            row[column] = JsonNode.Parse(shape == "Numbers" ? numbers ?? upstream : upstream);
        }

        return row;
    }

    private static void AssertRow(JsonObject expected, JsonElement actual, string where)
    {
        var got = JsonNode.Parse(actual.GetRawText())!.AsObject();
        Assert.Equal(expected.Select(p => p.Key), got.Select(p => p.Key));
        foreach (var (column, value) in expected)
        {
            // Raw text, so "12.50" vs 12.5 and "7" vs 7 count as different.
            Assert.True(JsonNode.DeepEquals(value, got[column]) && (value?.ToJsonString() == got[column]?.ToJsonString()),
                $"{where}: column {column} is {got[column]?.ToJsonString() ?? "null"}, expected {value?.ToJsonString() ?? "null"}");
        }
    }

    private static async Task CreateTypesAsync(NpgsqlDataSource db, string schema)
    {
        var columns = string.Join(", ", Table.Select(c => $"{c.Column} {c.Type}"));
        foreach (var sql in new[]
        {
            $"CREATE TABLE {schema}.types (id int, {columns})",
            InsertSql(schema, 1),
            $"CREATE MATERIALIZED VIEW {schema}.shapes AS SELECT * FROM {schema}.types",
            $"CREATE SUBSCRIPTION {schema}.wavelet_sub_shapes FROM {schema}.shapes WITH (retention = '1h')",
        })
        {
            await using var command = db.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static string InsertSql(string schema, int id) =>
        $"INSERT INTO {schema}.types VALUES ({id}, {string.Join(", ", Table.Select(c => c.Literal == "NULL" ? "NULL" : $"{c.Literal}::{c.Type}"))})";

    private static async Task InsertAsync(DataPlaneServer server, int id)
    {
        await using (var db = server.Rw.CreateDataSource())
        await using (var command = db.CreateCommand(InsertSql(server.Schema, id)))
        {
            await command.ExecuteNonQueryAsync();
        }

        await server.Rw.Simulator!.BarrierAsync();
    }
}
