namespace Wavelet.DataPlane.Tests;

/// <summary>
/// An epoch of exactly FetchSize rows fills a FETCH batch; the feed must still deliver it at once instead of waiting for
/// the next epoch or the FETCH timeout (here 10 s, twice the client's receive deadline).
/// </summary>
public sealed class FetchBoundaryTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    [Fact]
    public async Task An_epoch_that_exactly_fills_a_fetch_batch_is_delivered_without_waiting_for_the_timeout()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, services: services => services.Configure<FeedOptions>(options =>
        {
            options.FetchSize = 2;
            options.FetchTimeoutSeconds = 10; // shutdown waits out one in-flight FETCH, so keep it short
        }));
        await using var client = await server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        var snapshot = await client.ReceiveTypeAsync("snapshot");
        Assert.Equal(1, snapshot.GetProperty("rows").GetArrayLength());

        await using (var db = rw.CreateDataSource())
        {
            await using var insert = db.CreateCommand($"INSERT INTO {server.Schema}.orders VALUES ('a', 'fig', 1), ('b', 'grape', 1)");
            await insert.ExecuteNonQueryAsync();
        }

        await rw.Simulator!.BarrierAsync();
        var diff = (await client.ReceiveAsync(TimeSpan.FromSeconds(5)))!.Value; // well under the 10 s FETCH timeout
        Assert.Equal("diff", diff.GetProperty("type").GetString());
        Assert.Equal("fig", diff.GetProperty("inserted")[0].GetProperty("item").GetString());
    }
}
