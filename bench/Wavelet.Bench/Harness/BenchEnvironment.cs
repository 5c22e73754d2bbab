using Wavelet.Engine;
using Npgsql;
using Wavelet.Testing.RisingWave;

namespace Wavelet.Bench.Harness;

/// <summary>
/// One scenario's world: a fresh RisingWave simulator database with the bench schema and seed rows, and a fresh data
/// plane process following it. Barriers run only when the driver flushes, so each write batch is exactly one epoch.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    private const string SecretEnv = "WAVELET_BENCH_JWT_SECRET";

    private BenchEnvironment(LocalEngine simulator, NpgsqlDataSource database, TokenFactory tokens)
    {
        Simulator = simulator;
        Database = database;
        Tokens = tokens;
    }

    public LocalEngine Simulator { get; }

    /// <summary>Connections to the simulator for writes (type loading off, as RisingWave needs).</summary>
    public NpgsqlDataSource Database { get; }

    public TokenFactory Tokens { get; }

    public DataPlaneProcess DataPlane { get; private set; } = null!;

    public static async Task<BenchEnvironment> StartAsync(BenchSettings settings, Seed seed, ILogger logger, CancellationToken ct)
    {
        var dll = DataPlaneLocator.Locate(settings.DataPlaneDll);
        var simulator = await LocalEngine.StartAsync(new LocalEngineOptions { BarrierInterval = TimeSpan.FromHours(1) }, ct);
        var builder = new NpgsqlDataSourceBuilder(simulator.ConnectionString);
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        var environment = new BenchEnvironment(simulator, builder.Build(), new TokenFactory(BenchSchema.TenantColumn));
        try
        {
            await environment.CreateSchemaAsync(seed, ct);
            environment.DataPlane = await DataPlaneProcess.StartAsync(
                dll,
                BenchSchema.Config(SecretEnv, settings.MaxQueuedBytesPerConnection),
                new Dictionary<string, string> { ["WAVELET_DATABASE_URL"] = simulator.Url, [SecretEnv] = environment.Tokens.Secret },
                logger,
                ct,
                settings.DataPlaneCpus);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (DataPlane is not null)
        {
            await DataPlane.DisposeAsync();
        }

        await Database.DisposeAsync();
        await Simulator.DisposeAsync();
    }

    private async Task CreateSchemaAsync(Seed seed, CancellationToken ct)
    {
        await using var connection = await Database.OpenConnectionAsync(ct);
        foreach (var statement in BenchSchema.CreateStatements())
        {
            await Execute(connection, statement, ct);
        }

        foreach (var (table, rows, tenants) in new[]
                 {
                     (BenchSchema.FilteredTable, seed.FilteredRows, seed.Tenants),
                     (BenchSchema.BroadcastTable, seed.BroadcastRows, 1),
                 })
        {
            if (rows > 0)
            {
                var t = tenants.ToString(CultureInfo.InvariantCulture);
                await Execute(
                    connection,
                    $"INSERT INTO {table} SELECT 't' || (g % {t}), g / {t}, 0, repeat('x', {seed.PayloadBytes.ToString(CultureInfo.InvariantCulture)}) FROM generate_series(0, {(rows - 1).ToString(CultureInfo.InvariantCulture)}) AS g",
                    ct);
            }
        }

        await Execute(connection, "FLUSH", ct);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Rows present before the data plane starts: filtered table spread over tenants, broadcast table all in one.</summary>
public sealed record Seed(int FilteredRows, int Tenants, int BroadcastRows, int PayloadBytes = 32);
