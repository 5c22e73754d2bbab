using System.Net.Sockets;
using Wavelet.Engine;
using Wavelet.Engine.Postgres;

namespace Wavelet.Cli.Database;

/// <summary>
/// The embedded default: a PostgreSQL server of this process's own and the local engine in front of it. Disposing stops
/// both and removes the server's data directory.
/// </summary>
public sealed class LocalEngineHost : IAsyncDisposable
{
    private readonly PostgresServer _postgres;
    private readonly LocalEngine _engine;

    private LocalEngineHost(PostgresServer postgres, LocalEngine engine)
    {
        _postgres = postgres;
        _engine = engine;
    }

    public string Url => _engine.Url;

    public int Port => _engine.Port;

    /// <summary>Starts PostgreSQL and the engine; a missing binary or a busy port is a <see cref="CliException"/> with exit code 2.</summary>
    public static async Task<LocalEngineHost> StartAsync(int port, TimeSpan barrierInterval, bool install, TextWriter progress, ILogger logger, CancellationToken ct)
    {
        if (install)
        {
            try
            {
                PostgresBinaries.Find();
            }
            catch (PostgresNotFoundException)
            {
                await RunInstallAsync(progress, ct);
            }
        }

        PostgresServer postgres;
        try
        {
            postgres = await PostgresServer.StartAsync(ct);
        }
        catch (PostgresNotFoundException e)
        {
            throw new CliException(e.Message + " (or run wavelet dev --install on Debian/Ubuntu as root)", e, ExitCodes.Usage);
        }

        try
        {
            var database = await postgres.CreateDatabaseAsync("wavelet", ct);
            var engine = await LocalEngine.StartAsync(new LocalEngineOptions
            {
                PostgresConnectionString = database,
                Port = port,
                BarrierInterval = barrierInterval,
            }, logger, ct);
            return new LocalEngineHost(postgres, engine);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            await postgres.DisposeAsync();
            throw new CliException($"port {port} is already in use: stop what listens there or choose another with --engine-port", e, ExitCodes.Usage);
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    private static async Task RunInstallAsync(TextWriter progress, CancellationToken ct)
    {
        try
        {
            await PostgresBinaries.InstallAsync(progress, ct);
        }
        catch (PostgresNotFoundException e)
        {
            throw new CliException(e.Message, e, ExitCodes.Usage);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _engine.DisposeAsync();
        }
        finally
        {
            await _postgres.DisposeAsync();
        }
    }
}
