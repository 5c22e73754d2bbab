using System.Net.Sockets;
using System.Runtime.InteropServices;
using Wavelet.Engine;
using Wavelet.Engine.Postgres;

// The local engine standalone. It serves RisingWave's protocol subset until Ctrl+C or SIGTERM, for benchmarks,
// local development of the data plane and other clients (psql included). Flags: EngineCommandLine (--help).
// SIGINT (Ctrl-C) and SIGTERM end the wait below, so the engine and its PostgreSQL server are disposed in order.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await EngineCommandLine.InvokeAsync(args, (options, _) => RunAsync(options), Console.Out, Console.Error, stop.Token);

async Task<int> RunAsync(LocalEngineOptions options)
{
    // A server of its own unless --postgres names one: tied to this process, so even SIGKILL leaves nothing behind.
    PostgresServer? postgres = null;
    try
    {
        if (options.PostgresConnectionString is null)
        {
            postgres = await PostgresServer.StartAsync(stop.Token);
            options.PostgresConnectionString = await postgres.CreateDatabaseAsync("wavelet", stop.Token);
        }

        await using var simulator = await LocalEngine.StartAsync(options, stop.Token);
        Console.WriteLine($"wavelet-engine: listening on 127.0.0.1:{simulator.Port} ({simulator.Url}); barrier every {options.BarrierInterval.TotalMilliseconds} ms");
        if (postgres is not null)
        {
            Console.WriteLine($"wavelet-engine: PostgreSQL on 127.0.0.1:{postgres.Port}, folder {postgres.Folder} (removed on exit)");
        }

        Console.WriteLine("wavelet-engine: connect with: psql -h 127.0.0.1 -p " + simulator.Port + " -U root dev");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token); // allowed: the standalone server runs until stopped
        }
        catch (OperationCanceledException)
        {
        }

        Console.WriteLine("wavelet-engine: stopping");
        return 0;
    }
    catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
    {
        Console.Error.WriteLine($"wavelet-engine: port {options.Port} is already in use: stop what listens there or choose another with --port");
        return 2;
    }
    catch (PostgresNotFoundException e)
    {
        Console.Error.WriteLine($"wavelet-engine: {e.Message}");
        return 2;
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        return 0;
    }
    finally
    {
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
