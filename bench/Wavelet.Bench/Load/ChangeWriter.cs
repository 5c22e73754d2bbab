using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using Wavelet.Bench.Clients;
using Wavelet.Bench.Harness;

namespace Wavelet.Bench.Load;

/// <summary>
/// Writes epochs at a target rate: each epoch is one multi-row upsert of <c>rowsPerEpoch</c> rows (spread over the
/// tenants, so with rows == tenants every tenant gets one row) followed by FLUSH, so it is exactly one RisingWave epoch.
/// Every row carries the write time in microseconds; the clients compute write-to-client latency from it.
/// RisingWave upserts on a primary-key conflict by itself; the simulator (PostgreSQL) needs the ON CONFLICT clause.
/// </summary>
public sealed class ChangeWriter
{
    private readonly NpgsqlDataSource _database;
    private readonly string _table;
    private readonly int _tenants;
    private readonly int _slotsPerTenant;
    private readonly string _payload;
    private long _sequence;

    public ChangeWriter(NpgsqlDataSource database, string table, int tenants, int slotsPerTenant, int payloadBytes = 32)
    {
        _database = database;
        _table = table;
        _tenants = tenants;
        _slotsPerTenant = slotsPerTenant;
        _payload = new string('y', payloadBytes);
    }

    /// <summary>Writes epochs at <paramref name="epochsPerSecond"/> for <paramref name="duration"/>; falls behind rather than bursting when the database is slower.</summary>
    public async Task<WriterResult> RunAsync(int rowsPerEpoch, double epochsPerSecond, TimeSpan duration, CancellationToken ct)
    {
        await using var connection = await _database.OpenConnectionAsync(ct);
        var interval = TimeSpan.FromSeconds(1 / epochsPerSecond);
        var watch = Stopwatch.StartNew();
        var epochs = 0;
        while (watch.Elapsed < duration)
        {
            var due = interval * epochs;
            var wait = due - watch.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct); // pacing the write rate, not waiting for a result
            }

            await WriteEpochAsync(connection, rowsPerEpoch, ct);
            epochs++;
        }

        return new WriterResult(epochs, (long)epochs * rowsPerEpoch, watch.Elapsed);
    }

    /// <summary>One epoch now: the upsert, then FLUSH (a barrier) so the changes reach the subscription.</summary>
    public async Task WriteEpochAsync(NpgsqlConnection connection, int rows, CancellationToken ct)
    {
        var first = _sequence;
        _sequence += rows;
        await using (var upsert = new NpgsqlCommand(UpsertSql(first, rows), connection))
        {
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = UnixClock.NowMicros() });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _payload });
            await upsert.ExecuteNonQueryAsync(ct);
        }

        await using var flush = new NpgsqlCommand("FLUSH", connection);
        await flush.ExecuteNonQueryAsync(ct);
    }

    public async Task WriteEpochAsync(int rows, CancellationToken ct)
    {
        await using var connection = await _database.OpenConnectionAsync(ct);
        await WriteEpochAsync(connection, rows, ct);
    }

    /// <summary>Tenants and slots are generated integers (inlined); the time and payload are parameters.</summary>
    internal string UpsertSql(long firstSequence, int rows)
    {
        var sql = new StringBuilder($"INSERT INTO {_table} (tenant, slot, written_at, payload) VALUES ");
        for (var i = 0; i < rows; i++)
        {
            var n = firstSequence + i;
            var tenant = n % _tenants;
            var slot = n / _tenants % _slotsPerTenant;
            sql.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"('{BenchSchema.TenantName((int)tenant)}',{slot},$1,$2)");
        }

        return sql.Append(" ON CONFLICT (tenant, slot) DO UPDATE SET written_at = EXCLUDED.written_at, payload = EXCLUDED.payload").ToString();
    }
}

public sealed record WriterResult(int Epochs, long Rows, TimeSpan Elapsed)
{
    public double EpochsPerSecond => Epochs / Elapsed.TotalSeconds;
}
