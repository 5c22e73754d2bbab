using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Wavelet.Api.DataPlane;

namespace Wavelet.Engine;

/// <summary>
/// The standalone engine's command line (<c>--port</c>, <c>--postgres</c>, <c>--barrier-ms</c>) with a generated
/// <c>--help</c>; a bad flag is one line on standard error and exit code <see cref="UsageExitCode"/>.
/// </summary>
public static class EngineCommandLine
{
    public const int UsageExitCode = 2;
    public const int DefaultPort = 4566;

    public static RootCommand Create(Func<LocalEngineOptions, CancellationToken, Task<int>> run)
    {
        var port = new Option<int>("--port")
        {
            Description = "Loopback port to listen on; 0 picks a free one.",
            HelpName = "port",
            DefaultValueFactory = _ => DefaultPort,
            CustomParser = result => Number(result, "--port", 0, 65535, "must be between 0 and 65535"),
        };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "PostgreSQL to keep everything in: a postgres:// URL or an Npgsql connection string (default: a server of its own, removed on exit).",
            HelpName = "url",
            CustomParser = result =>
            {
                try
                {
                    return PostgresUrl.ToConnectionString(result.Tokens[0].Value);
                }
                catch (FormatException e)
                {
                    result.AddError($"--postgres: {e.Message}");
                    return null;
                }
            },
        };
        var barrier = new Option<int>("--barrier-ms")
        {
            Description = "Milliseconds between barriers, each turning committed writes into one epoch of changes (RisingWave: 1000).",
            HelpName = "ms",
            DefaultValueFactory = _ => 1000,
            CustomParser = result => Number(result, "--barrier-ms", 1, int.MaxValue, "must be a positive number of milliseconds"),
        };

        var root = new RootCommand(
            "Wavelet local engine: serves RisingWave's protocol subset over PostgreSQL until Ctrl+C or SIGTERM, for benchmarks, " +
            "local development of the data plane and other clients (psql included). Exit codes: 0 stopped; 2 bad usage, busy port or no PostgreSQL.")
        {
            port,
            postgres,
            barrier,
        };
        root.Validators.Add(result =>
        {
            // An option with a default accepts a bare flag otherwise.
            foreach (var option in new Option[] { port, barrier })
            {
                if (result.GetResult(option) is { Implicit: false, Tokens.Count: 0 })
                {
                    result.AddError($"{option.Name} needs a value");
                }
            }
        });
        root.SetAction((parse, ct) => run(
            new LocalEngineOptions
            {
                Port = parse.GetValue(port),
                PostgresConnectionString = parse.GetValue(postgres),
                BarrierInterval = TimeSpan.FromMilliseconds(parse.GetValue(barrier)),
            },
            ct));
        return root;
    }

    private static int Number(ArgumentResult result, string option, int min, int max, string rule)
    {
        if (result.Tokens is [var token] && int.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError($"{option} {rule} (got '{string.Join(' ', result.Tokens.Select(t => t.Value))}')");
        return 0;
    }

    /// <summary>Parses <paramref name="args"/>: prints help, or reports bad usage in one line, or runs <paramref name="run"/>.</summary>
    public static async Task<int> InvokeAsync(string[] args, Func<LocalEngineOptions, CancellationToken, Task<int>> run, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var parse = Create(run).Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"wavelet-engine: {string.Join("; ", parse.Errors.Select(e => e.Message))} (see --help)");
            return UsageExitCode;
        }

        // The engine stops on SIGINT/SIGTERM itself (the PostgreSQL server it owns is removed in order): no second handler.
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, ct);
    }
}
