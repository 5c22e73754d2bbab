using System.ComponentModel;
using System.Diagnostics;
using Npgsql;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Wavelet.Api.DataPlane;
using Wavelet.Cli.Database;
using Wavelet.Cli.Dev.Databases;

namespace Wavelet.Cli.Dev;

/// <summary>
/// Finds the database for `wavelet dev`, in order: an explicit URL (--database-url, $WAVELET_DATABASE_URL; must answer),
/// the file's connection Secret when it answers, a `risingwave` binary on PATH (started as `risingwave playground`),
/// Docker when its daemon answers (the RisingWave image in playground mode), else the local engine.
/// </summary>
public sealed class DevDatabaseLocator
{
    public const string PlaygroundUrl = "postgres://root@127.0.0.1:4566/dev";
    public const string RisingWaveImage = "risingwavelabs/risingwave:latest";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RisingWaveStartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DockerStartTimeout = TimeSpan.FromMinutes(5);

    private readonly CliContext _context;
    private readonly ILogger _logger;

    public DevDatabaseLocator(CliContext context, ILogger logger)
    {
        _context = context;
        _logger = logger;
    }

    public required string Engine { get; init; }

    public int EnginePort { get; init; }

    public TimeSpan BarrierInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public bool Install { get; init; }

    /// <summary>Where to look for executables (PATH entries); replaceable in tests.</summary>
    public Func<string, string?> FindExecutable { get; init; } = OnPath;

    public async Task<IDevDatabase> FindAsync(string? urlOption, ProjectFile file, CancellationToken ct)
    {
        var explicitUrl = DatabaseUrl.Resolve(urlOption, _context, file: null);
        if (explicitUrl is not null)
        {
            if (!await AnswersAsync(explicitUrl.ConnectionString, ct))
            {
                throw new CliException($"cannot connect to {explicitUrl}: check that RisingWave runs there, or leave the URL out to let wavelet dev start one");
            }

            return new ExternalDatabase(explicitUrl);
        }

        if (Engine == DevEngine.Auto && DatabaseUrl.Resolve(null, _context, file) is { } fromSecret)
        {
            if (await AnswersAsync(fromSecret.ConnectionString, ct))
            {
                return new ExternalDatabase(fromSecret);
            }

            await _context.Output.WriteLineAsync($"wavelet dev: {fromSecret} does not answer; looking for RisingWave on this machine");
        }

        if (Engine is DevEngine.Auto or DevEngine.RisingWave)
        {
            if (FindExecutable("risingwave") is { } binary)
            {
                return await StartPlaygroundAsync(binary, ct);
            }

            if (Engine == DevEngine.RisingWave)
            {
                throw new CliException("--engine risingwave: no risingwave binary on PATH (see https://docs.risingwave.com for installing it)", ExitCodes.Usage);
            }
        }

        if (Engine is DevEngine.Auto or DevEngine.Docker)
        {
            if (FindExecutable("docker") is { } docker && await DockerAnswersAsync(docker, ct))
            {
                return await StartDockerAsync(docker, ct);
            }

            if (Engine == DevEngine.Docker)
            {
                throw new CliException("--engine docker: no Docker daemon answers (docker info failed)", ExitCodes.Usage);
            }
        }

        await _context.Output.WriteLineAsync("wavelet dev: no RisingWave found (no URL that answers, no risingwave binary, no Docker daemon): starting the local engine");
        var host = await LocalEngineHost.StartAsync(EnginePort, BarrierInterval, Install, _context.Output, _logger, ct);
        return new LocalEngineDatabase(host);
    }

    private async Task<IDevDatabase> StartPlaygroundAsync(string binary, CancellationToken ct)
    {
        if (await AnswersAsync(PostgresUrl.ToConnectionString(PlaygroundUrl), ct))
        {
            return new ExternalDatabase(new DatabaseUrl(PlaygroundUrl, "a RisingWave already listening on port 4566"));
        }

        await _context.Output.WriteLineAsync($"wavelet dev: starting {binary} playground");
        var process = Start(binary, ["playground"]);
        var database = new ChildProcessDatabase(process, PlaygroundUrl, $"RisingWave playground ({binary}, pid {process.Id}) at {PlaygroundUrl}");
        await WaitUntilAnswersAsync(database, process, RisingWaveStartTimeout, ct);
        return database;
    }

    private async Task<IDevDatabase> StartDockerAsync(string docker, CancellationToken ct)
    {
        if (await AnswersAsync(PostgresUrl.ToConnectionString(PlaygroundUrl), ct))
        {
            return new ExternalDatabase(new DatabaseUrl(PlaygroundUrl, "a RisingWave already listening on port 4566"));
        }

        var container = $"wavelet-dev-{Environment.ProcessId}";
        await _context.Output.WriteLineAsync($"wavelet dev: starting RisingWave in Docker (container {container}, image {RisingWaveImage}; the first pull takes a while)");
        var process = Start(docker, ["run", "--rm", "--name", container, "-p", "127.0.0.1:4566:4566", RisingWaveImage, "playground"]);
        var database = new ChildProcessDatabase(process, PlaygroundUrl, $"RisingWave in Docker (container {container}) at {PlaygroundUrl}",
            () => RunQuietlyAsync(docker, ["rm", "-f", container]));
        await WaitUntilAnswersAsync(database, process, DockerStartTimeout, ct);
        return database;
    }

    /// <summary>Asks every 500 ms (a Polly retry) until RisingWave answers, its process exits or <paramref name="timeout"/> passes.</summary>
    private static async Task WaitUntilAnswersAsync(ChildProcessDatabase database, Process process, TimeSpan timeout, CancellationToken ct)
    {
        var connectionString = PostgresUrl.ToConnectionString(database.Url);
        var pipeline = new ResiliencePipelineBuilder<bool>()
            .AddTimeout(timeout)
            .AddRetry(new RetryStrategyOptions<bool>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.FromMilliseconds(500),
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome is { Exception: null, Result: false } && !process.HasExited),
            })
            .Build();
        try
        {
            if (!await pipeline.ExecuteAsync(token => new ValueTask<bool>(AnswersAsync(connectionString, token)), ct))
            {
                throw new CliException($"{process.StartInfo.FileName} exited with code {process.ExitCode} before RisingWave answered");
            }
        }
        catch (TimeoutRejectedException)
        {
            await database.DisposeAsync();
            throw new CliException($"RisingWave did not answer at {database.Url} within {timeout.TotalSeconds:0} s");
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether a PostgreSQL-protocol server answers SELECT 1 at this connection string within a few seconds.</summary>
    public static async Task<bool> AnswersAsync(string connectionString, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = (int)ProbeTimeout.TotalSeconds, Pooling = false };
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        dataSource.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        await using var source = dataSource.Build();
        try
        {
            await using var connection = await source.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException)
        {
            return false;
        }
    }

    private static async Task<bool> DockerAnswersAsync(string docker, CancellationToken ct)
    {
        try
        {
            using var process = Start(docker, ["info", "--format", "{{.ServerVersion}}"]);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }

    private static Process Start(string file, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        var process = Process.Start(info) ?? throw new CliException($"could not start {file}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunQuietlyAsync(string file, IReadOnlyList<string> args)
    {
        try
        {
            using var process = Start(file, args);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is Win32Exception or TimeoutException or CliException)
        {
        }
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
