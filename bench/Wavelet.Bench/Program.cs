using Microsoft.Extensions.Logging;
using Wavelet.Bench;
using Wavelet.Bench.Cli;
using Wavelet.Bench.Harness;

BenchSettings settings;
try
{
    settings = BenchArguments.Parse(args, BenchRunner.Names);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"wavelet-bench: {e.Message}");
    Console.Error.WriteLine(BenchArguments.Usage);
    return 2;
}

using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss ";
}).SetMinimumLevel(LogLevel.Information));
var logger = loggerFactory.CreateLogger("wavelet-bench");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var header = $"<!-- wavelet-bench {string.Join(' ', args)} at {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores -->{Environment.NewLine}";
if (settings.OutputFile is { } output)
{
    await File.AppendAllTextAsync(output, header);
}

try
{
    await BenchRunner.RunAsync(
        settings,
        logger,
        report =>
        {
            var markdown = report.ToMarkdown();
            Console.WriteLine(markdown);
            if (settings.OutputFile is { } file)
            {
                File.AppendAllText(file, markdown);
            }
        },
        stop.Token);
    return 0;
}
catch (BenchSetupException e)
{
    Console.Error.WriteLine($"wavelet-bench: {e.Message}");
    return 3;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("wavelet-bench: cancelled");
    return 130;
}
