using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Wavelet.Engine.Postgres;

namespace Wavelet.Engine;

/// <summary>
/// A PostgreSQL wire-protocol server that behaves like RisingWave for what this project uses (see
/// docs/design/local-engine.md): it relays to a real PostgreSQL and rewrites subscriptions, subscription cursors,
/// materialized views and rw_catalog into PostgreSQL. A test harness, never a product runtime.
/// </summary>
public sealed class LocalEngine : IAsyncDisposable
{
    private readonly LocalEngineOptions _options;
    private readonly ILogger _logger;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<ProxySession, Task> _sessions = new();
    private readonly SemaphoreSlim _barrierLock = new(1, 1);
    private TaskCompletionSource _barrierSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _acceptLoop = Task.CompletedTask;
    private Task _barrierLoop = Task.CompletedTask;
    private int _sessionIds;
    private long _lastEpoch;

    private LocalEngine(LocalEngineOptions options, NpgsqlDataSource admin, NpgsqlConnectionStringBuilder backend, ILogger logger)
    {
        _options = options;
        _logger = logger;
        Admin = admin;
        PostgresPort = backend.Port;
        PostgresUser = backend.Username ?? "postgres";
        PostgresDatabase = backend.Database ?? "postgres";
        _listener = new TcpListener(IPAddress.Loopback, options.Port);
        Faults = new EngineFaults(this);
        CdcSources = new Cdc.CdcReplication(admin, logger);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Npgsql connection string; clients must still disable type loading, as with RisingWave.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=root;Database=dev;Pooling=false;Timeout=15;Command Timeout=60";

    public string Url => $"postgres://root@127.0.0.1:{Port}/dev";

    public EngineFaults Faults { get; }

    public StatementLog Statements { get; } = new();

    /// <summary>Barriers run so far and the wall time they took (benchmarks report it apart).</summary>
    public (long Count, TimeSpan Elapsed) BarrierTotals => (Interlocked.Read(ref _barrierCount), TimeSpan.FromTicks(Interlocked.Read(ref _barrierTicks)));

    /// <summary>
    /// Subscriptions barriers have visited so far (diffed, recycled or forgotten): a barrier visits only those it has work
    /// for, so this grows with the writes, not with the number of subscriptions.
    /// </summary>
    public long BarrierVisits => Interlocked.Read(ref _barrierVisits);

    private long _barrierCount;
    private long _barrierVisits;
    private long _barrierTicks;

    internal TimeProvider Clock => _options.Clock;

    internal Cdc.CdcReplication CdcSources { get; }

    internal NpgsqlDataSource Admin { get; }

    internal int PostgresPort { get; }

    internal string PostgresUser { get; }

    internal string PostgresDatabase { get; }

    internal long NowMs => _options.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    internal long LastEpoch => Interlocked.Read(ref _lastEpoch);

    public static Task<LocalEngine> StartAsync(LocalEngineOptions options, CancellationToken ct = default) =>
        StartAsync(options, NullLogger.Instance, ct);

    public static async Task<LocalEngine> StartAsync(LocalEngineOptions options, ILogger logger, CancellationToken ct = default)
    {
        var connectionString = options.PostgresConnectionString
            ?? await (await PostgresServer.GetSharedAsync(ct)).CreateDatabaseAsync(ct: ct);
        var backend = new NpgsqlConnectionStringBuilder(connectionString);
        var admin = NpgsqlDataSource.Create(connectionString);
        await using (var install = admin.CreateCommand(EngineSchema.Sql))
        {
            await install.ExecuteNonQueryAsync(ct);
        }

        await using (var installCdc = admin.CreateCommand(Cdc.CdcSchema.Sql))
        {
            await installCdc.ExecuteNonQueryAsync(ct);
        }

        var simulator = new LocalEngine(options, admin, backend, logger);
        simulator._lastEpoch = simulator.NowMs;
        simulator._listener.Start();
        simulator._acceptLoop = simulator.AcceptLoopAsync(simulator._stop.Token);
        simulator._barrierLoop = simulator.BarrierLoopAsync(simulator._stop.Token);
        return simulator;
    }

    /// <summary>Runs one barrier now: writes committed before the call are visible to FETCH when it returns.</summary>
    public Task BarrierAsync(CancellationToken ct = default) => BarrierAsync(unlessPaused: false, ct);

    /// <summary>Returns once no barrier is running; with barriers paused, none starts after it (the pause fault).</summary>
    internal void WaitForRunningBarrier()
    {
        _barrierLock.Wait();
        _barrierLock.Release();
    }

    private async Task BarrierAsync(bool unlessPaused, CancellationToken ct)
    {
        await _barrierLock.WaitAsync(ct);
        if (unlessPaused && Faults.BarriersPaused)
        {
            // Checked under the lock: a barrier that had already looked at the flag when the pause began must not run after it.
            _barrierLock.Release();
            return;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var epoch = Math.Max(LastEpoch + 1, NowMs);
            var plan = new List<(long Id, bool Changed)>();
            await using (var list = Admin.CreateCommand("SELECT id, changed FROM _rwsim.barrier_plan($1)"))
            {
                list.Parameters.Add(new NpgsqlParameter { Value = NowMs });
                await using var reader = await list.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    plan.Add((reader.GetInt64(0), reader.GetBoolean(1)));
                }
            }

            Interlocked.Add(ref _barrierVisits, plan.Count);

            foreach (var (id, changed) in plan)
            {
                try
                {
                    await using var barrier = Admin.CreateCommand("SELECT _rwsim.barrier($1, $2, $3, $4)");
                    barrier.Parameters.Add(new NpgsqlParameter { Value = id });
                    barrier.Parameters.Add(new NpgsqlParameter { Value = epoch });
                    barrier.Parameters.Add(new NpgsqlParameter { Value = NowMs });
                    barrier.Parameters.Add(new NpgsqlParameter { Value = changed });
                    await barrier.ExecuteNonQueryAsync(ct);
                }
                catch (PostgresException e)
                {
                    _logger.SubscriptionBarrierFailed(e, id);
                }
            }

            Interlocked.Exchange(ref _lastEpoch, epoch);
        }
        finally
        {
            Interlocked.Increment(ref _barrierCount);
            Interlocked.Add(ref _barrierTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
            _barrierLock.Release();
        }

        Interlocked.Exchange(ref _barrierSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    internal async Task WaitForRowsAsync(int pid, string cursor, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = _options.Clock.GetUtcNow() + timeout;
        while (true)
        {
            var signal = _barrierSignal.Task;
            await using (var check = Admin.CreateCommand("SELECT _rwsim.has_rows($1, $2)"))
            {
                check.Parameters.Add(new NpgsqlParameter { Value = pid });
                check.Parameters.Add(new NpgsqlParameter { Value = cursor });
                if (await check.ExecuteScalarAsync(ct) is true)
                {
                    return;
                }
            }

            var remaining = deadline - _options.Clock.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            await Task.WhenAny(signal, Task.Delay(remaining, _options.Clock, ct)); // allowed: FETCH timeout semantics, woken early by the barrier signal
            ct.ThrowIfCancellationRequested();
        }
    }

    internal async Task RecycleHistoryAsync()
    {
        await _barrierLock.WaitAsync();
        try
        {
            await using var command = Admin.CreateCommand("SELECT _rwsim.recycle_all()");
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            _barrierLock.Release();
        }
    }

    internal async Task DropAllSessionsAsync()
    {
        var sessions = _sessions.ToArray();
        foreach (var (session, _) in sessions)
        {
            session.Stop();
        }

        await Task.WhenAll(sessions.Select(s => s.Value));
    }

    internal async Task ForwardCancelAsync(WireMessage cancel, CancellationToken ct)
    {
        using var backend = new TcpClient();
        await backend.ConnectAsync(IPAddress.Loopback, PostgresPort, ct);
        await backend.GetStream().WriteAsync(cancel.ToBytes(), ct);
    }

    internal void Forget(ProxySession session) => _sessions.TryRemove(session, out _);

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            client.NoDelay = true;
            var session = new ProxySession(this, client, Interlocked.Increment(ref _sessionIds), _logger);
            _sessions[session] = Task.Run(() => session.RunAsync(ct), CancellationToken.None);
        }
    }

    private async Task BarrierLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.BarrierInterval, _options.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await BarrierAsync(unlessPaused: true, ct);
                }
                catch (NpgsqlException e)
                {
                    _logger.BarrierFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        await _barrierLoop;
        await DropAllSessionsAsync();
        await Admin.DisposeAsync();
        _stop.Dispose();
    }
}
