namespace Wavelet.DataPlane.Tests;

/// <summary>
/// Live config reload end to end: the config lives in a ConfigMap-like directory and every change is an atomic ..data
/// symlink swap, noticed through directory notifications; clients are real sockets fed by the RisingWave simulator.
/// </summary>
public sealed class ConfigReloadTests(RisingWaveFixture rw) : ConfigDirectoryTest(rw)
{
    [Fact]
    public async Task A_query_added_live_serves_at_once_while_clients_of_another_query_receive_every_diff()
    {
        await StartServerAsync(c => c.Queries.RemoveAll(q => q.Name == "totals"));
        await using var client = await Server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await client.ReceiveTypeAsync("snapshot");
        await Server.InsertAsync("a", "cherry", 1);
        var before = await NextAsync(client, "diff");

        WriteChanged(Server.Config, c => c.Queries.Add(new QueryConfig { Name = "totals", Subscription = "wavelet_sub_totals", SpecHash = "1" }));
        await Server.InsertAsync("a", "date", 1);
        await Eventually.UntilAsync(async () => (await QueriesAsync()).Contains("totals"), "the added query is listed");

        // The new feed may declare its FULL cursor before or after the "date" epoch; either way it must catch up to 4.
        await Eventually.UntilAsync(async () => await TotalOrdersAsync() == 4, "the added query's state includes every order");
        await using var totals = await Server.ConnectAsync("totals", DataPlaneServer.Token("a"));
        var snapshot = await totals.ReceiveTypeAsync("snapshot");
        Assert.True(snapshot.GetProperty("rows").GetArrayLength() == 1, snapshot.ToString());
        Assert.Equal("4", snapshot.GetProperty("rows")[0].GetProperty("orders").GetString()); // count(*) is bigint: a string, as upstream sends it
        await Server.InsertAsync("a", "elder", 1);

        // The other query's client saw no snapshot, no close, no gap: the very next messages are the two diffs.
        var during = await NextAsync(client, "diff");
        var after = await NextAsync(client, "diff");
        Assert.Equal(["cherry", "date", "elder"], new[] { before, during, after }.Select(d => d.GetProperty("inserted")[0].GetProperty("item").GetString()));
        Assert.True(Cursor(before) < Cursor(during) && Cursor(during) < Cursor(after));
        Assert.Equal(5, NewOrderCount(await totals.ReceiveTypeAsync("diff")));
        Assert.Equal(1, await ReloadsAsync("ok"));
    }

    [Fact]
    public async Task A_removed_query_closes_its_clients_with_4003_and_others_keep_receiving()
    {
        await StartServerAsync();
        await using var totals = await Server.ConnectAsync("totals", DataPlaneServer.Token("a"));
        await using var perItem = await Server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await totals.ReceiveTypeAsync("snapshot");
        await perItem.ReceiveTypeAsync("snapshot");

        WriteChanged(Server.Config, c => c.Queries.RemoveAll(q => q.Name == "totals"));

        await totals.AssertClosedAsync(4003, "removed");
        await Eventually.UntilAsync(async () => !(await QueriesAsync()).Contains("totals"), "the removed query is no longer listed");
        await using var late = await Server.ConnectAsync("totals", DataPlaneServer.Token("a"));
        await late.AssertClosedAsync(4000);

        await Server.InsertAsync("a", "fig", 1);
        Assert.Equal("fig", (await NextAsync(perItem, "diff")).GetProperty("inserted")[0].GetProperty("item").GetString());
    }

    [Fact]
    public async Task A_changed_spec_hash_restarts_the_feed_and_its_clients_get_a_fresh_snapshot_on_the_same_socket()
    {
        await StartServerAsync();
        await using var client = await Server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await client.ReceiveTypeAsync("snapshot");
        var declaresBefore = Declares();

        WriteChanged(Server.Config, c => c.Queries.Single(q => q.Name == "per_item").SpecHash = "2");

        var fresh = await NextAsync(client, "snapshot");
        Assert.Equal("apple", fresh.GetProperty("rows")[0].GetProperty("item").GetString());
        Assert.True(Declares() > declaresBefore, "the feed opened a new subscription cursor");
        await Server.InsertAsync("a", "grape", 1);
        Assert.Equal("grape", (await NextAsync(client, "diff")).GetProperty("inserted")[0].GetProperty("item").GetString());
    }

    [Fact]
    public async Task An_invalid_file_keeps_the_old_config_serving_shows_why_in_readyz_and_counts_and_a_valid_file_clears_it()
    {
        await StartServerAsync();
        await using var client = await Server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await client.ReceiveTypeAsync("snapshot");

        WriteChanged(Server.Config, c => c.Queries.Add(new QueryConfig { Name = "Bad Name", Subscription = "wavelet_sub_totals" }));

        await Eventually.UntilAsync(async () => (await ReadyzAsync()).Body.GetProperty("configError").ValueKind == JsonValueKind.String, "/readyz shows the reload error");
        var (readyStatus, readyBody) = await ReadyzAsync();
        Assert.Equal(HttpStatusCode.OK, readyStatus); // old config still serves: the pod stays in the Service
        Assert.Contains("'Bad Name' is not a valid identifier", readyBody.GetProperty("configError").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await ReloadsAsync("failed"));
        Assert.Equal(["per_item", "totals"], await QueriesAsync());
        await Server.InsertAsync("a", "honeydew", 1);
        Assert.Equal("honeydew", (await NextAsync(client, "diff")).GetProperty("inserted")[0].GetProperty("item").GetString());

        WriteChanged(Server.Config, c => c.Project = "apps/renamed");
        await Eventually.UntilAsync(async () => (await ReadyzAsync()).Body.GetProperty("configError").ValueKind == JsonValueKind.Null, "a valid file clears the error");
        Assert.Equal(1, await ReloadsAsync("ok"));
        Assert.Equal(1, await ReloadsAsync("failed"));
    }

    [Fact]
    public async Task A_changed_filter_claim_asks_that_querys_clients_to_reconnect_with_4004_and_new_connections_use_it()
    {
        await StartServerAsync();
        await using var perItem = await Server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await using var totals = await Server.ConnectAsync("totals", DataPlaneServer.Token("a"));
        await perItem.ReceiveTypeAsync("snapshot");
        await totals.ReceiveTypeAsync("snapshot");

        WriteChanged(Server.Config, c => c.Queries.Single(q => q.Name == "per_item").FilterClaim = "org");

        await perItem.AssertClosedAsync(4004, "reconnect");
        // New connections use the new claim: a token without it is refused with the reason.
        await using var again = await Server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await again.AssertClosedAsync(4000);
        Assert.Equal("token has no 'org' claim required by query 'per_item'", again.Socket.CloseStatusDescription);
        await Server.InsertAsync("a", "kiwi", 1);
        Assert.Equal(3, NewOrderCount(await NextAsync(totals, "diff")));
    }

    [Fact]
    public async Task Changed_jwt_settings_close_every_socket_with_4004_and_only_tokens_valid_under_the_new_settings_connect()
    {
        await StartServerAsync();
        await using var perItem = await Server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await using var totals = await Server.ConnectAsync("totals", DataPlaneServer.Token("a"));
        await perItem.ReceiveTypeAsync("snapshot");
        await totals.ReceiveTypeAsync("snapshot");

        WriteChanged(Server.Config, c => c.Auth.Jwt!.SecretEnv = "JWT2");

        foreach (var socket in new[] { perItem, totals })
        {
            await socket.AssertClosedAsync(4004);
        }

        await using var oldToken = await Server.ConnectAsync("totals", DataPlaneServer.Token("a"));
        await oldToken.AssertClosedAsync(4000);
        await using var newToken = await Server.ConnectAsync("totals", DataPlaneServer.Token("a", secret: DataPlaneServer.OtherSecret));
        await newToken.ReceiveTypeAsync("snapshot");
    }

    /// <summary>The count in a diff of the totals query (an update, or a delete plus an insert, depending on the plan).</summary>
    private static long NewOrderCount(JsonElement diff) =>
        long.Parse(diff.GetProperty("updated").EnumerateArray().Concat(diff.GetProperty("inserted").EnumerateArray()).Single().GetProperty("orders").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static long Cursor(JsonElement diff) => long.Parse(diff.GetProperty("cursor").GetString()!, CultureInfo.InvariantCulture);

    /// <summary>The very next message, which must be of <paramref name="type"/>.</summary>
    private static async Task<JsonElement> NextAsync(LiveSocket socket, string type)
    {
        var message = await socket.ReceiveAsync() ?? throw new InvalidOperationException($"socket closed ({socket.Socket.CloseStatus} {socket.Socket.CloseStatusDescription}) before a {type}");
        Assert.Equal(type, message.GetProperty("type").GetString());
        return message;
    }

    private int Declares() => Rw.Simulator!.Statements.Count(s => s.Sql.Contains("DECLARE", StringComparison.OrdinalIgnoreCase) && s.Sql.Contains($"\"{Server.Schema}\".\"wavelet_sub_per_item\"", StringComparison.Ordinal));

    private async Task<List<string>> QueriesAsync()
    {
        var body = JsonDocument.Parse(await Server.Http.GetStringAsync(new Uri("/v1/queries", UriKind.Relative))).RootElement;
        return [.. body.GetProperty("queries").EnumerateArray().Select(q => q.GetString()!)];
    }

    /// <summary>The totals query's order count read over HTTP, or null while the query has no snapshot yet.</summary>
    private async Task<long?> TotalOrdersAsync() =>
        await Server.RowsAsync("totals", DataPlaneServer.Token("a")) is { } rows && rows.GetArrayLength() == 1
            ? long.Parse(rows[0].GetProperty("orders").GetString()!, CultureInfo.InvariantCulture)
            : null;

    private async Task<(HttpStatusCode Status, JsonElement Body)> ReadyzAsync()
    {
        var response = await Server.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private async Task<long> ReloadsAsync(string result)
    {
        var text = await Server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var prefix = $"wavelet_config_reloads_total{{result=\"{result}\"}} ";
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
