using System.Globalization;
using Wavelet.Api.DataPlane;
using Wavelet.Engine;

// Standalone harness tools. The local engine serves RisingWave's protocol subset until Ctrl+C or SIGTERM, for benchmarks,
// local development of the data plane and other clients (psql included).
if (args is ["--help" or "-h", ..])
{
    Console.Error.WriteLine("usage: Wavelet.Engine [--port 4566] [--postgres <npgsql connection string>] [--barrier-ms 1000]");
    return 2;
}

var options = new LocalEngineOptions { Port = 4566 };
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--port" when int.TryParse(value, CultureInfo.InvariantCulture, out var port):
            options.Port = port;
            i++;
            break;
        case "--postgres" when value is not null:
            options.PostgresConnectionString = PostgresUrl.ToConnectionString(value);
            i++;
            break;
        case "--barrier-ms" when int.TryParse(value, CultureInfo.InvariantCulture, out var ms) && ms > 0:
            options.BarrierInterval = TimeSpan.FromMilliseconds(ms);
            i++;
            break;
        default:
            Console.Error.WriteLine($"wavelet-engine: unknown or incomplete argument {args[i]}");
            return 2;
    }
}

// Not disposed: ProcessExit runs after Main returns and must still be able to cancel it.
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

await using var simulator = await LocalEngine.StartAsync(options, stop.Token);
Console.WriteLine($"wavelet-engine: listening on 127.0.0.1:{simulator.Port} ({simulator.Url}); barrier every {options.BarrierInterval.TotalMilliseconds} ms");
Console.WriteLine("wavelet-engine: connect with: psql -h 127.0.0.1 -p " + simulator.Port + " -U root dev");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token); // allowed: the standalone server runs until stopped
}
catch (OperationCanceledException)
{
}

return 0;
