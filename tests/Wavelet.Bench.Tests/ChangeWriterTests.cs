using Wavelet.Engine;
using Npgsql;
using Wavelet.Bench.Harness;
using Wavelet.Bench.Load;
using Wavelet.Testing.RisingWave;

namespace Wavelet.Bench.Tests;

public class ChangeWriterTests
{
    [Fact]
    public void An_epoch_of_as_many_rows_as_tenants_touches_every_tenant_once_and_moves_to_the_next_slot()
    {
        var writer = new ChangeWriter(null!, "ticks", tenants: 3, slotsPerTenant: 2);

        var first = writer.UpsertSql(0, 3);
        var second = writer.UpsertSql(3, 3);
        var wrapped = writer.UpsertSql(6, 3);

        Assert.Contains("('t0',0,$1,$2),('t1',0,$1,$2),('t2',0,$1,$2)", first, StringComparison.Ordinal);
        Assert.Contains("('t0',1,$1,$2),('t1',1,$1,$2),('t2',1,$1,$2)", second, StringComparison.Ordinal);
        Assert.Contains("('t0',0,$1,$2)", wrapped, StringComparison.Ordinal);
        Assert.EndsWith("ON CONFLICT (tenant, slot) DO UPDATE SET written_at = EXCLUDED.written_at, payload = EXCLUDED.payload", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_epoch_reaches_the_subscription_with_its_write_time()
    {
        await using var simulator = await LocalEngine.StartAsync(new LocalEngineOptions { BarrierInterval = TimeSpan.FromHours(1) });
        var builder = new NpgsqlDataSourceBuilder(simulator.ConnectionString);
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        await using var database = builder.Build();
        await using var connection = await database.OpenConnectionAsync();
        foreach (var sql in BenchSchema.CreateStatements())
        {
            await using var create = new NpgsqlCommand(sql, connection);
            await create.ExecuteNonQueryAsync();
        }

        await using (var declare = new NpgsqlCommand($"DECLARE c SUBSCRIPTION CURSOR FOR {BenchSchema.SubscriptionOf(BenchSchema.FilteredQuery)}", connection))
        {
            await declare.ExecuteNonQueryAsync();
        }

        var before = Clients.UnixClock.NowMicros();
        await new ChangeWriter(database, BenchSchema.FilteredTable, tenants: 4, slotsPerTenant: 1).WriteEpochAsync(4, CancellationToken.None);

        await using var fetch = new NpgsqlCommand("FETCH 100 FROM c", connection);
        await using var reader = await fetch.ExecuteReaderAsync();
        var tenants = new List<string>();
        while (await reader.ReadAsync())
        {
            tenants.Add(reader.GetString(reader.GetOrdinal("tenant")));
            Assert.InRange(reader.GetInt64(reader.GetOrdinal("written_at")), before, Clients.UnixClock.NowMicros());
            Assert.Equal("Insert", reader.GetString(reader.GetOrdinal("op")));
        }

        Assert.Equal(["t0", "t1", "t2", "t3"], tenants.Order());
    }
}
