using System.Globalization;
using Wavelet.Testing.RisingWave;

// Standalone harness tools. `risingwave-sim` serves the RisingWave simulator until Ctrl+C or SIGTERM, for benchmarks,
// local development of the data plane and other clients (psql included).
if (args is not ["risingwave-sim", ..])
{
    Console.Error.WriteLine("usage: Wavelet.Testing risingwave-sim [--port 4566] [--postgres <npgsql connection string>] [--barrier-ms 1000]");
    return 2;
}

var options = new RisingWaveSimulatorOptions { Port = 4566 };
for (var i = 1; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--port" when int.TryParse(value, CultureInfo.InvariantCulture, out var port):
            options.Port = port;
            i++;
            break;
        case "--postgres" when value is not null:
            options.PostgresConnectionString = RealSystems.ToConnectionString(value);
            i++;
            break;
        case "--barrier-ms" when int.TryParse(value, CultureInfo.InvariantCulture, out var ms) && ms > 0:
            options.BarrierInterval = TimeSpan.FromMilliseconds(ms);
            i++;
            break;
        default:
            Console.Error.WriteLine($"risingwave-sim: unknown or incomplete argument {args[i]}");
            return 2;
    }
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

await using var simulator = await RisingWaveSimulator.StartAsync(options, stop.Token);
Console.WriteLine($"risingwave-sim: listening on 127.0.0.1:{simulator.Port} ({simulator.Url}); barrier every {options.BarrierInterval.TotalMilliseconds} ms");
Console.WriteLine("risingwave-sim: connect with: psql -h 127.0.0.1 -p " + simulator.Port + " -U root dev");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token); // allowed: the standalone server runs until stopped
}
catch (OperationCanceledException)
{
}

return 0;
