using Microsoft.Extensions.Logging;
using Npgsql;
using Wavelet.Bench.Cli;
using Wavelet.Bench.Clients;
using Wavelet.Bench.Harness;
using Wavelet.Engine;
using Wavelet.Engine.Postgres;

namespace Wavelet.Bench.Soak;

/// <summary>
/// The soak's systems: a PostgreSQL database that outlives engine restarts, the local engine in front of it (barriers
/// every 100 ms, as a live RisingWave would run them), and one data-plane process on a fixed address.
/// </summary>
public sealed class SoakWorld : IAsyncDisposable
{
    private const string SecretEnv = "WAVELET_SOAK_JWT_SECRET";
    private const string RotatedSecretEnv = "WAVELET_SOAK_JWT_SECRET_ROTATED";
    private readonly TokenFactory _first = new(SoakSchema.TenantColumn);
    private readonly TokenFactory _rotated = new(SoakSchema.TenantColumn);
    private static readonly TimeSpan BarrierInterval = TimeSpan.FromMilliseconds(100);
    private readonly string _postgres;
    private readonly long _maxQueuedBytes;
    private readonly List<string> _feedWarnings = [];

    private SoakWorld(string postgres, LocalEngine engine, NpgsqlDataSource admin, long maxQueuedBytes)
    {
        _postgres = postgres;
        Engine = engine;
        Admin = admin;
        _maxQueuedBytes = maxQueuedBytes;
        Database = EngineSource(engine);
    }

    public LocalEngine Engine { get; private set; }

    /// <summary>Connections through the engine (writes, truth), as an app would have.</summary>
    public NpgsqlDataSource Database { get; private set; }

    /// <summary>Direct connections to PostgreSQL behind the engine, for pg_terminate_backend.</summary>
    public NpgsqlDataSource Admin { get; }

    /// <summary>Mints tokens valid under the JWT settings the data plane has now (or is about to have: see <see cref="RotateJwtAsync"/>).</summary>
    public TokenFactory Tokens => JwtRotated ? _rotated : _first;

    /// <summary>True while the data plane verifies tokens with the second secret.</summary>
    public bool JwtRotated { get; private set; }

    private string CurrentSecretEnv => JwtRotated ? RotatedSecretEnv : SecretEnv;

    public DataPlaneProcess DataPlane { get; private set; } = null!;

    public ExtraStage Extra { get; private set; }

    public static async Task<SoakWorld> StartAsync(BenchSettings settings, ILogger logger, CancellationToken ct)
    {
        var dll = DataPlaneLocator.Locate(settings.DataPlaneDll);
        var postgres = await (await PostgresServer.GetSharedAsync(ct)).CreateDatabaseAsync(ct: ct);
        var engine = await LocalEngine.StartAsync(new LocalEngineOptions { PostgresConnectionString = postgres, BarrierInterval = BarrierInterval }, ct);
        // Small send queues, so a client that stops reading trips the slow-consumer bound within the run.
        var world = new SoakWorld(postgres, engine, NpgsqlDataSource.Create(postgres), maxQueuedBytes: 256 * 1024);
        try
        {
            await using (var connection = await world.Database.OpenConnectionAsync(ct))
            {
                foreach (var statement in SoakSchema.CreateStatements())
                {
                    await using var command = new NpgsqlCommand(statement, connection);
                    await command.ExecuteNonQueryAsync(ct);
                }
            }

            world.DataPlane = await DataPlaneProcess.StartAsync(
                dll,
                SoakSchema.Config(world.CurrentSecretEnv, world._maxQueuedBytes, ExtraStage.Absent),
                new Dictionary<string, string>
                {
                    ["WAVELET_DATABASE_URL"] = engine.Url,
                    [SecretEnv] = world._first.Secret,
                    [RotatedSecretEnv] = world._rotated.Secret,
                    ["DataPlane__DrainDelay"] = "00:00:00.200",
                },
                logger,
                ct,
                settings.DataPlaneCpus);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the data plane's feed sessions in PostgreSQL; returns how many were killed.</summary>
    public async Task<long> TerminateFeedSessionsAsync(CancellationToken ct)
    {
        await using var command = Admin.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE 'wavelet-feed-%' AND datname = current_database()");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Feed warnings of every data-plane process so far (resumed since an epoch, or started over).</summary>
    public IReadOnlyList<string> FeedWarnings => [.. _feedWarnings, .. DataPlane.Noted()];

    public async Task RestartDataPlaneAsync(ILogger logger, Action afterExit, CancellationToken ct)
    {
        var old = DataPlane;
        DataPlane = await old.RestartAsync(logger, afterExit, ct);
        _feedWarnings.AddRange(old.Noted());
    }

    /// <summary>Stops the engine (every session drops) and starts a new one on the same port over the same database.</summary>
    public async Task RestartEngineAsync(CancellationToken ct)
    {
        var port = Engine.Port;
        await Database.DisposeAsync();
        await Engine.DisposeAsync();
        Engine = await LocalEngine.StartAsync(new LocalEngineOptions { PostgresConnectionString = _postgres, BarrierInterval = BarrierInterval, Port = port }, ct);
        Database = EngineSource(Engine);
    }

    public async Task ReloadAsync(ExtraStage extra, CancellationToken ct)
    {
        Extra = extra;
        await DataPlane.WriteConfigAsync(SoakSchema.Config(CurrentSecretEnv, _maxQueuedBytes, extra), ct);
    }

    /// <summary>
    /// Switches the JWT secret by a live reload. Tokens are minted with the new secret from now on, so whoever reconnects
    /// after the data plane closed its socket with 4004 presents a token valid under the new settings.
    /// </summary>
    public async Task RotateJwtAsync(CancellationToken ct)
    {
        JwtRotated = !JwtRotated;
        await ReloadAsync(Extra, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (DataPlane is not null)
        {
            await DataPlane.DisposeAsync();
        }

        await Database.DisposeAsync();
        await Engine.DisposeAsync();
        await Admin.DisposeAsync();
    }

    private static NpgsqlDataSource EngineSource(LocalEngine engine)
    {
        var builder = new NpgsqlDataSourceBuilder(engine.ConnectionString);
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        return builder.Build();
    }
}
