using Wavelet.Engine;

namespace Wavelet.Testing.Tests.RisingWave;

/// <summary>Each fault is observable by a client the way the matching RisingWave failure would be.</summary>
public sealed class SimulatorFaultTests : IAsyncLifetime
{
    private readonly RisingWaveFixture _rw = RisingWaveFixture.SimulatorOnly();

    private LocalEngine Sim => _rw.Simulator!;

    public Task InitializeAsync() => _rw.InitializeAsync();

    public Task DisposeAsync() => _rw.DisposeAsync();

    private async Task<RwConnection> SubscribedAsync(string schema)
    {
        var db = await RwConnection.OpenAsync(_rw, schema);
        await db.ExecAsync("CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY)");
        await db.ExecAsync("CREATE SUBSCRIPTION IF NOT EXISTS s FROM t WITH (retention = '1h')");
        return db;
    }

    [Fact]
    public async Task Dropped_connections_lose_their_cursors_and_a_new_session_can_resume()
    {
        await using var db = await SubscribedAsync("drop_conn");
        await db.ExecAsync("DECLARE c SUBSCRIPTION CURSOR FOR s");

        await Sim.Faults.DropAllConnectionsAsync();

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => db.QueryAsync("FETCH 1 FROM c"));
        await using var again = await SubscribedAsync("drop_conn");
        await again.ExecAsync("DECLARE c SUBSCRIPTION CURSOR FOR s");
        await again.ExecAsync("INSERT INTO t VALUES (1)");
        await again.ExecAsync("FLUSH");
        Assert.Single(await again.QueryAsync("FETCH 10 FROM c"));
    }

    [Fact]
    public async Task Recycled_history_fails_a_lagging_cursor_with_the_recycled_error()
    {
        await using (var db = await SubscribedAsync("recycle"))
        {
            await db.ExecAsync("DECLARE c SUBSCRIPTION CURSOR FOR s");
            await db.ExecAsync("INSERT INTO t VALUES (1)");
            await db.ExecAsync("FLUSH");
            await Sim.Faults.RecycleHistoryAsync();

            var error = await Assert.ThrowsAsync<PostgresException>(() => db.QueryAsync("FETCH 10 FROM c"));
            Assert.Contains("data may have been recycled, please recreate cursor", error.MessageText, StringComparison.Ordinal);
        }

        await using var fresh = await SubscribedAsync("recycle");
        await fresh.ExecAsync("DECLARE full_again SUBSCRIPTION CURSOR FOR s FULL");
        Assert.Equal([1, "Insert", null], Assert.Single(await fresh.QueryAsync("FETCH 10 FROM full_again")));
    }

    [Fact]
    public async Task Fail_next_fails_only_the_next_matching_statement_with_the_given_error()
    {
        await using (var db = await SubscribedAsync("fail_next"))
        {
            Sim.Faults.FailNext("^DECLARE", "XX000", "Internal error: injected");
            var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecAsync("DECLARE c SUBSCRIPTION CURSOR FOR s"));
            Assert.Equal("Internal error: injected", error.MessageText);
        }

        await using var again = await SubscribedAsync("fail_next");
        await again.ExecAsync("DECLARE c SUBSCRIPTION CURSOR FOR s");
    }

    [Fact]
    public async Task Stalled_fetch_completes_only_after_resume()
    {
        await using var db = await SubscribedAsync("stall");
        await db.ExecAsync("DECLARE c SUBSCRIPTION CURSOR FOR s");
        Sim.Faults.StallFetch();

        var fetch = db.QueryAsync("FETCH 10 FROM c");
        await Sim.BarrierAsync();
        await Sim.BarrierAsync();
        Assert.False(fetch.IsCompleted);

        Sim.Faults.ResumeFetch();
        Assert.Empty(await fetch.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Paused_barriers_hold_changes_back_until_resumed()
    {
        await using var db = await SubscribedAsync("pause");
        await db.ExecAsync("DECLARE c SUBSCRIPTION CURSOR FOR s");
        Sim.Faults.PauseBarriers();
        await db.ExecAsync("INSERT INTO t VALUES (7)");

        Assert.Empty(await db.QueryAsync("FETCH 10 FROM c WITH (timeout = '1s')"));

        Sim.Faults.ResumeBarriers();
        Assert.Single(await db.QueryAsync("FETCH 10 FROM c WITH (timeout = '20s')"));
    }

    [Fact]
    public async Task Statement_log_records_what_each_session_ran()
    {
        await using var db = await SubscribedAsync("log");
        Sim.Statements.Clear();
        await db.ExecAsync("DECLARE c SUBSCRIPTION CURSOR FOR s");
        await db.QueryAsync("FETCH 10 FROM c");

        var entries = Sim.Statements.Snapshot();
        Assert.Equal(["DECLARE c SUBSCRIPTION CURSOR FOR s", "FETCH 10 FROM c"], entries.Select(e => e.Sql));
        Assert.Single(entries.Select(e => e.SessionId).Distinct());
        Assert.Equal(1, Sim.Statements.Count(e => e.Sql.StartsWith("FETCH", StringComparison.Ordinal)));
    }
}
