namespace Wavelet.DataPlane.Tests;

/// <summary>
/// The live-add scenario of <see cref="ConfigReloadTests"/> repeated many times in one run while writers keep every
/// barrier busy: each added query's FULL cursor must start from a snapshot and an epoch that agree, or the query serves
/// a wrong state for good (issue 23: an added query that never caught up). WAVELET_STRESS_ADDS sets the number of adds.
/// </summary>
public sealed class LiveAddStressTests(RisingWaveFixture rw) : ConfigDirectoryTest(rw)
{
    private const int DefaultAdds = 30;
    private static int Adds =>
        int.TryParse(Environment.GetEnvironmentVariable("WAVELET_STRESS_ADDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var adds) && adds > 0
            ? adds
            : DefaultAdds;

    [Fact]
    public async Task A_query_added_live_again_and_again_under_concurrent_writes_serves_every_row_each_time()
    {
        await StartServerAsync(c => c.Queries.RemoveAll(q => q.Name == "totals"));
        var without = Server.Config;
        using var writes = new Writes(Rw, Server.Schema);
        var writer = Task.Run(writes.RunAsync);
        try
        {
            for (var add = 1; add <= Adds; add++)
            {
                var hash = add.ToString(CultureInfo.InvariantCulture);
                WriteChanged(without, c => c.Queries.Add(new QueryConfig { Name = "totals", Subscription = "wavelet_sub_totals", SpecHash = hash }));

                // The feed declares its cursor while the writers run; only then are they paused to compare with the table.
                await Eventually.UntilAsync(async () => await TotalsAsync() is not null, $"add {add}: the added query serves");
                using (await writes.PauseAsync())
                {
                    var expected = await Server.OrderCountAsync();
                    string? served = null;
                    try
                    {
                        await Eventually.UntilAsync(async () => (served = await TotalsAsync()) == $"[{expected}]", $"add {add}: the added query serves one row of {expected} orders");
                    }
                    catch (TimeoutException e)
                    {
                        throw new TimeoutException($"{e.Message} It served {served ?? "nothing"}.", e);
                    }
                }

                Files.Write(without);
                await Eventually.UntilAsync(async () => await TotalsAsync() is null, $"add {add}: the removed query is gone");
            }
        }
        finally
        {
            await writes.StopAsync();
            await writer;
        }

        Assert.True(writes.Count > Adds, $"the writers wrote {writes.Count} rows during {Adds} adds");
    }

    /// <summary>The totals query's rows as "[n, ...]" (order counts), or null while it is not served.</summary>
    private async Task<string?> TotalsAsync() =>
        await Server.RowsAsync("totals", DataPlaneServer.Token("a")) is { } rows
            ? "[" + string.Join(", ", rows.EnumerateArray().Select(r => r.GetProperty("orders").GetString())) + "]" // count(*) is bigint: a string, as upstream sends it
            : null;

    /// <summary>Inserts rows one statement at a time until stopped, so nearly every 20 ms barrier has changes to diff.</summary>
    private sealed class Writes(RisingWaveFixture rw, string schema) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly SemaphoreSlim _turn = new(1, 1);
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public async Task RunAsync()
        {
            await using var db = rw.CreateDataSource();
            while (true)
            {
                try
                {
                    await _turn.WaitAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                try
                {
                    await using var insert = db.CreateCommand($"INSERT INTO {schema}.orders VALUES ('a', 'stress', 1)");
                    await insert.ExecuteNonQueryAsync(CancellationToken.None);
                    Interlocked.Increment(ref _count);
                }
                finally
                {
                    _turn.Release();
                }
            }
        }

        /// <summary>Waits until no write is in flight and holds further writes until the result is disposed.</summary>
        public async Task<IDisposable> PauseAsync()
        {
            await _turn.WaitAsync();
            return new Pause(_turn);
        }

        public async Task StopAsync() => await _stop.CancelAsync();

        public void Dispose()
        {
            _stop.Dispose();
            _turn.Dispose();
        }

        private sealed class Pause(SemaphoreSlim turn) : IDisposable
        {
            public void Dispose() => turn.Release();
        }
    }
}
