using Wavelet.Engine;
using System.Text.RegularExpressions;
using Npgsql;
using Wavelet.Testing.RisingWave;

namespace Wavelet.Bench.Harness;

/// <summary>
/// One scenario's world: a fresh RisingWave simulator database with the bench schema and seed rows, and a fresh data
/// plane process following it. Barriers run only when the driver flushes, so each write batch is exactly one epoch.
/// In target mode the world is an engine someone else runs (<c>--engine-url</c>) and a server the driver did not start
/// (<c>--target-url</c>): the driver creates the bench schema there when it is missing and seeds it by upsert.
/// </summary>
public sealed partial class BenchEnvironment : IAsyncDisposable
{
    /// <summary>The environment variable the bench's own data plane reads the HS256 secret from.</summary>
    public const string SecretEnv = "WAVELET_BENCH_JWT_SECRET";
    private readonly LocalEngine? _simulator;

    private BenchEnvironment(LocalEngine? simulator, NpgsqlDataSource database, TokenFactory tokens)
    {
        _simulator = simulator;
        Database = database;
        Tokens = tokens;
    }

    /// <summary>What the last environment's server ran with (GC, CPUs), read before it stopped; for the report's notes.</summary>
    public static string? LastServerNote { get; set; }

    public LocalEngine Simulator => _simulator
        ?? throw new BenchSetupException("this scenario counts the simulator's statements, so it needs the bench's own simulator (not --engine-url)");

    /// <summary>The server the clients connect to: the bench's data plane, or the target.</summary>
    public BenchServer Server { get; private set; } = null!;

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
            environment.Server = new BenchServer(environment.DataPlane.BaseUri, environment.DataPlane.Pid, settings.DataPlaneCpus);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Target mode: the engine at <paramref name="engineUrl"/> (the targets follow it) gets the bench schema when it lacks
    /// it and the seed rows by upsert; no simulator or data plane is started.
    /// </summary>
    public static async Task<BenchEnvironment> AttachAsync(string engineUrl, Uri target, BenchSettings settings, Seed seed, CancellationToken ct)
    {
        var builder = new NpgsqlDataSourceBuilder(Wavelet.Api.DataPlane.PostgresUrl.ToConnectionString(engineUrl));
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        var environment = new BenchEnvironment(null, builder.Build(), new TokenFactory(settings.TargetClaim, settings.TargetSecret));
        try
        {
            await EnsureSchemaAsync(environment.Database, ct);
            await environment.UpsertSeedAsync(seed, ct);
            environment.Server = BenchServer.Target(target);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates the bench's tables, MVs and subscriptions on an engine, skipping those that already exist.</summary>
    public static async Task EnsureSchemaAsync(NpgsqlDataSource database, CancellationToken ct)
    {
        foreach (var statement in BenchSchema.CreateStatements())
        {
            try
            {
                // A connection per statement: an engine error can end the session it happened on.
                await using var command = database.CreateCommand(statement);
                await command.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject
                || AlreadyExists().IsMatch(e.MessageText))
            {
                // RisingWave and the simulator say so as XX000 "Catalog error: ... exists".
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (DataPlane is not null)
        {
            LastServerNote = Server.Describe();
            await DataPlane.DisposeAsync();
        }
        else if (Server is not null)
        {
            LastServerNote = Server.Describe();
        }

        await Database.DisposeAsync();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    private async Task UpsertSeedAsync(Seed seed, CancellationToken ct)
    {
        if (seed.FilteredRows > 0)
        {
            var slots = Math.Max(1, seed.FilteredRows / seed.Tenants);
            await new Load.ChangeWriter(Database, BenchSchema.FilteredTable, seed.Tenants, slots, seed.PayloadBytes).WriteEpochAsync(seed.Tenants * slots, ct);
        }

        if (seed.BroadcastRows > 0)
        {
            await new Load.ChangeWriter(Database, BenchSchema.BroadcastTable, 1, seed.BroadcastRows, seed.PayloadBytes).WriteEpochAsync(seed.BroadcastRows, ct);
        }
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

    [GeneratedRegex(@"\bexists\b", RegexOptions.IgnoreCase)]
    private static partial Regex AlreadyExists();

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Rows present before the data plane starts: filtered table spread over tenants, broadcast table all in one.</summary>
public sealed record Seed(int FilteredRows, int Tenants, int BroadcastRows, int PayloadBytes = 32);
