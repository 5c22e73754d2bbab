using Microsoft.Extensions.Time.Testing;
using Wavelet.Engine;

namespace Wavelet.Testing.Tests.RisingWave;

/// <summary>A barrier visits the subscriptions it has work for (writes, history past retention), not every subscription.</summary>
public sealed class BarrierCostTests : IAsyncLifetime
{
    private const int Projects = 20;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private LocalEngine _engine = null!;
    private NpgsqlDataSource _db = null!;

    public async Task InitializeAsync()
    {
        _engine = await LocalEngine.StartAsync(new LocalEngineOptions { BarrierInterval = TimeSpan.FromHours(1), Clock = _clock });
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = _engine.Port, Username = "root", Database = "dev" }.ConnectionString);
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        _db = builder.Build();
        for (var i = 0; i < Projects; i++)
        {
            await ExecAsync($"CREATE SCHEMA p{i}");
            await ExecAsync($"CREATE TABLE p{i}.game_events (player_id varchar, score int)");
            await ExecAsync($"CREATE MATERIALIZED VIEW p{i}.leaderboard AS SELECT player_id, SUM(score) AS total FROM p{i}.game_events GROUP BY player_id");
            await ExecAsync($"CREATE SUBSCRIPTION p{i}.sub FROM p{i}.leaderboard WITH (retention = '1h')");
        }

        await ExecAsync("FLUSH");
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task A_barrier_visits_only_the_subscriptions_whose_tables_were_written()
    {
        await using var connection = await _db.OpenConnectionAsync();
        await Exec(connection, "DECLARE c SUBSCRIPTION CURSOR FOR p7.sub");
        var before = _engine.BarrierVisits;

        await Exec(connection, "FLUSH");
        Assert.Equal(0, _engine.BarrierVisits - before);

        await Exec(connection, "INSERT INTO p7.game_events VALUES ('ann', 5)");
        await Exec(connection, "FLUSH");
        Assert.Equal(1, _engine.BarrierVisits - before);

        await using var fetch = new NpgsqlCommand("FETCH 10 FROM c", connection);
        await using var reader = await fetch.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("ann", 5L, "Insert"), (reader.GetString(0), Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), reader.GetString(2)));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task History_past_its_retention_is_still_recycled_when_nothing_is_written()
    {
        await using var connection = await _db.OpenConnectionAsync();
        await Exec(connection, "DECLARE lagging SUBSCRIPTION CURSOR FOR p3.sub");
        await Exec(connection, "INSERT INTO p3.game_events VALUES ('bob', 1)");
        await Exec(connection, "FLUSH");
        var before = _engine.BarrierVisits;

        _clock.Advance(TimeSpan.FromHours(2));
        await Exec(connection, "FLUSH");
        Assert.Equal(1, _engine.BarrierVisits - before);
        var error = await Assert.ThrowsAsync<PostgresException>(() => Exec(connection, "FETCH 10 FROM lagging"));
        Assert.Contains("data may have been recycled", error.MessageText, StringComparison.Ordinal);

        await ExecAsync("FLUSH");
        Assert.Equal(1, _engine.BarrierVisits - before);
    }

    private async Task ExecAsync(string sql)
    {
        await using var connection = await _db.OpenConnectionAsync();
        await Exec(connection, sql);
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
