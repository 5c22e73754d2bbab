using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Wavelet.Engine.Postgres;

/// <summary>
/// A throwaway PostgreSQL 15+ server: initdb in a temp folder (wavelet-pg-*), a free loopback port, fsync off. Its life
/// is tied to the process that started it (the owner): a watchdog holding the other end of a pipe shuts it down and
/// removes its folder when the owner disposes it or dies, SIGKILL included (see docs/design/test-fixture-lifetime.md);
/// folders of owners that are gone are swept when a server starts. PostgreSQL refuses to run as root, so when the
/// owner runs as root the server runs as the postgres user.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim SharedLock = new(1, 1);
    private static PostgresServer? _shared;
    private static int _databaseCounter;

    private readonly string _directory;
    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;
    private PostgresWatchdog? _watchdog;

    private PostgresServer(string directory, string binDirectory, int port, bool asPostgresUser)
    {
        _directory = directory;
        _binDirectory = binDirectory;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    /// <summary>The server's folder (data, socket, log and owner file); gone once the server has stopped.</summary>
    public string Folder => _directory;

    /// <summary>How long a stop may take before the server is killed: a fast shutdown of a test server takes well under a second.</summary>
    public static TimeSpan StopTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Superuser connection string to the postgres database.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Include Error Detail=true";

    /// <summary>The server shared by every test in this process, started on first use.</summary>
    public static async Task<PostgresServer> GetSharedAsync(CancellationToken ct = default)
    {
        await SharedLock.WaitAsync(ct);
        try
        {
            if (_shared is null)
            {
                var server = await StartAsync(ct);
                // The watchdog would notice the exit by itself; stopping here lets the process end only once it is done.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopAtExit();
                _shared = server;
            }

            return _shared;
        }
        finally
        {
            SharedLock.Release();
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null, CancellationToken ct = default)
    {
        name ??= $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}";
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        await command.ExecuteNonQueryAsync(ct);
        return ConnectionStringFor(name);
    }

    public static Task<PostgresServer> StartAsync(CancellationToken ct = default) => StartAsync(new Dictionary<string, string>(), ct);

    /// <summary>A server of its own with extra settings, e.g. wal_level=logical for a CDC source database; dispose it to stop it.</summary>
    public static async Task<PostgresServer> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var bin = PostgresBinaries.Find();
        var asPostgresUser = Environment.UserName == "root";
        await LeftoverSweeper.SweepAsync(ct);
        var directory = Directory.CreateTempSubdirectory(LeftoverSweeper.FolderPrefix).FullName;
        ServerOwner.Current().Write(directory);
        var server = new PostgresServer(directory, bin, FreePort(), asPostgresUser);
        try
        {
            await server.InitAndStartAsync(settings, ct);
            return server;
        }
        catch
        {
            await server.StopAsync();
            throw;
        }
    }

    private async Task InitAndStartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        var data = Path.Combine(_directory, "data");
        if (_asPostgresUser)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _directory], asPostgres: false, ct);
        }

        await RunAsync(Path.Combine(_binDirectory, "initdb"),
            ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], _asPostgresUser, ct);

        _watchdog = PostgresWatchdog.Start(_directory, _binDirectory,
        [
            "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-h", "127.0.0.1",
            "-k", _directory, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=400", "-c", "shared_buffers=64MB",
            .. settings.SelectMany(s => new[] { "-c", $"{s.Key}={s.Value}" }),
        ], _asPostgresUser);

        var watchdog = _watchdog;
        await PollUntilAsync(async attempt =>
        {
            if (watchdog.HasExited)
            {
                throw new InvalidOperationException($"postgres ended while starting (folder {_directory}): {watchdog.Errors}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false;Timeout=2");
                await connection.OpenAsync(attempt);
                return true;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, "PostgreSQL accepts connections", TimeSpan.FromSeconds(60), ct);
    }

    /// <summary>Tries <paramref name="condition"/> every 20 ms (a Polly retry) until it holds, for at most <paramref name="timeout"/>.</summary>
    private static async Task PollUntilAsync(Func<CancellationToken, Task<bool>> condition, string what, TimeSpan timeout, CancellationToken ct)
    {
        var pipeline = new ResiliencePipelineBuilder<bool>()
            .AddTimeout(timeout)
            .AddRetry(new RetryStrategyOptions<bool>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.FromMilliseconds(20),
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome is { Exception: null, Result: false }),
            })
            .Build();
        try
        {
            await pipeline.ExecuteAsync(async token => await condition(token), ct);
        }
        catch (TimeoutRejectedException)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0}s waiting until {what}.");
        }
    }

    /// <summary>Fast shutdown through the watchdog, which removes the folder; kills and removes it itself past the timeout.</summary>
    private async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _watchdog, null) is { } watchdog)
        {
            watchdog.Release();
            var stopped = await watchdog.WaitForExitAsync(StopTimeout);
            watchdog.Dispose();
            if (stopped)
            {
                return;
            }
        }

        if (Directory.Exists(_directory))
        {
            await LeftoverSweeper.RemoveAsync(_directory, CancellationToken.None);
        }
    }

    private void StopAtExit()
    {
        if (_watchdog is { } watchdog)
        {
            watchdog.Release();
            watchdog.WaitForExit(StopTimeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!ReferenceEquals(this, _shared))
        {
            await StopAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo Command(string file, IReadOnlyList<string> args, bool asPostgres)
    {
        var info = asPostgres ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. args]) : new ProcessStartInfo(file, args);
        info.UseShellExecute = false;
        return info;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgres, CancellationToken ct)
    {
        var info = Command(file, args, asPostgres);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed with exit code {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
