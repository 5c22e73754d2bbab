using Wavelet.Engine;

namespace Wavelet.DataPlane.Tests;

/// <summary>The feed surviving RisingWave faults while clients are subscribed: no gap, no duplicate, fresh snapshots.</summary>
public sealed class FeedRecoveryTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    private DataPlaneServer _server = null!;

    private LocalEngine Sim => rw.Simulator ?? throw new InvalidOperationException("fault injection needs the simulator");

    public async Task InitializeAsync() => _server = await DataPlaneServer.StartAsync(rw);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Dropped_connections_mid_stream_lose_and_repeat_no_change()
    {
        await using var a = await _server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await using var both = await _server.ConnectAsync("per_item", DataPlaneServer.Token(new[] { "a", "b" }));
        await a.ReceiveTypeAsync("snapshot");
        await both.ReceiveTypeAsync("snapshot");
        var sinceBefore = SinceDeclarations();

        var expected = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var item = $"item{i:D2}";
            await _server.InsertAsync(i % 3 == 0 ? "b" : "a", item, 1);
            expected.Add(item);
            if (i is 3 or 7)
            {
                if (i == 7)
                {
                    // A second drop while the feed is still in its backoff from the first would cut nothing of it.
                    await Wavelet.Testing.Eventually.UntilAsync(() => SinceDeclarations() > sinceBefore, "the feed re-declared its cursor after the first drop");
                }

                // Mid-stream: the feed has applied some epochs and is in a FETCH when RisingWave goes away.
                await Sim.Faults.DropAllConnectionsAsync();
            }
        }

        var seenByBoth = await InsertedUntilAsync(both, expected.Count);
        Assert.Equal(expected, seenByBoth);
        var seenByA = await InsertedUntilAsync(a, expected.Count(item => int.Parse(item[4..], System.Globalization.CultureInfo.InvariantCulture) % 3 != 0));
        Assert.Equal(expected.Where((_, i) => i % 3 != 0), seenByA);

        // Resumed by SINCE the last applied epoch, not by a new snapshot.
        Assert.True(SinceDeclarations() > sinceBefore, "the feed re-declared its cursor with SINCE after the drop");
        Assert.True(await _server.CounterAsync("wavelet_feed_reconnects_total", "per_item") >= 2);

        // Nothing more is pending: a marker inserted now is the very next diff (no late duplicate in between).
        await _server.InsertAsync("a", "marker", 1);
        Assert.Equal(["marker"], Inserted(await both.ReceiveTypeAsync("diff")));
    }

    [Fact]
    public async Task Recycled_history_sends_every_subscriber_a_fresh_snapshot_of_the_current_rows()
    {
        await using var a = await _server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await using var b = await _server.ConnectAsync("per_item", DataPlaneServer.Token("b"));
        await using var totals = await _server.ConnectAsync("totals", DataPlaneServer.Token(null));
        await a.ReceiveTypeAsync("snapshot");
        await b.ReceiveTypeAsync("snapshot");
        await totals.ReceiveTypeAsync("snapshot");
        var fullBefore = FullDeclarations();

        // The feed falls behind (its FETCHes stall), history is recycled, then it tries to go on: "too old".
        Sim.Faults.StallFetch();
        await _server.InsertAsync("a", "fig", 2);
        await _server.InsertAsync("b", "bagel", 3);
        await Sim.Faults.RecycleHistoryAsync();
        Sim.Faults.ResumeFetch();

        var snapshotA = await a.ReceiveTypeAsync("snapshot");
        Assert.Equal(["apple", "fig"], Items(snapshotA));
        Assert.Equal(["bagel", "bread"], Items(await b.ReceiveTypeAsync("snapshot")));
        Assert.Equal("4", (await totals.ReceiveTypeAsync("snapshot")).GetProperty("rows")[0].GetProperty("orders").GetString());
        Assert.True(FullDeclarations() >= fullBefore + 2, "both feeds declared FULL again");

        // The stream goes on from the new snapshot, and reads agree with it.
        await _server.InsertAsync("a", "grape", 1);
        Assert.Equal(["grape"], Inserted(await a.ReceiveTypeAsync("diff")));
        var read = JsonDocument.Parse(await ReadAsync("/v1/queries/per_item", DataPlaneServer.Token("a"))).RootElement;
        Assert.Equal(["apple", "fig", "grape"], Items(read));
    }

    private int SinceDeclarations() => Sim.Statements.Count(s => s.Sql.Contains("wavelet_sub_per_item", StringComparison.Ordinal) && s.Sql.Contains(" SINCE ", StringComparison.Ordinal));

    private int FullDeclarations() => Sim.Statements.Count(s => s.Sql.StartsWith("DECLARE", StringComparison.Ordinal) && s.Sql.EndsWith(" FULL", StringComparison.Ordinal));

    private async Task<string> ReadAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await _server.Http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Every inserted item, in arrival order, from diffs until <paramref name="count"/> were seen; a snapshot fails the test.</summary>
    private static async Task<List<string>> InsertedUntilAsync(LiveSocket socket, int count)
    {
        var seen = new List<string>();
        while (seen.Count < count)
        {
            var message = await socket.ReceiveAsync() ?? throw new InvalidOperationException("socket closed");
            var type = message.GetProperty("type").GetString();
            Assert.True(type == "diff", $"expected only diffs after the drop, got {type}");
            Assert.Empty(message.GetProperty("updated").EnumerateArray());
            Assert.Empty(message.GetProperty("deleted").EnumerateArray());
            seen.AddRange(Inserted(message));
        }

        return seen;
    }

    private static List<string> Inserted(JsonElement diff) =>
        diff.GetProperty("inserted").EnumerateArray().Select(r => r.GetProperty("item").GetString()!).ToList();

    private static List<string> Items(JsonElement message) =>
        message.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("item").GetString()!).Order(StringComparer.Ordinal).ToList();
}
