using Microsoft.Extensions.Logging;
using Wavelet.Bench;
using Wavelet.Bench.Cli;
using Wavelet.Bench.Harness;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

return await BenchArguments.InvokeAsync(args, BenchRunner.Names, RunAsync, Console.Out, Console.Error, stop.Token);

async Task<int> RunAsync(BenchSettings settings, CancellationToken ct)
{
    using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss ";
    }).SetMinimumLevel(LogLevel.Information));
    var logger = loggerFactory.CreateLogger("wavelet-bench");
    var header = $"<!-- wavelet-bench {string.Join(' ', args)} at {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores -->{Environment.NewLine}";
    if (settings.OutputFile is { } output)
    {
        await File.AppendAllTextAsync(output, header, ct);
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
            ct);
        return 0;
    }
    catch (BenchSetupException e)
    {
        Console.Error.WriteLine($"wavelet-bench: {e.Message}");
        return 3;
    }
    catch (OperationCanceledException) when (ct.IsCancellationRequested)
    {
        Console.Error.WriteLine("wavelet-bench: cancelled");
        return 130;
    }
}
