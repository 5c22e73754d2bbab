using System.CommandLine;
using Wavelet.Cli.Commands;

namespace Wavelet.Cli;

/// <summary>The `wavelet` root command and its subcommands; parse errors exit with <see cref="ExitCodes.Usage"/>.</summary>
public static class WaveletCommandLine
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("""
            wavelet: run a WaveletProject (the same YAML the Kubernetes operator reconciles) on this machine, sync its DDL
            into RisingWave and generate typed clients.

            Exit codes: 0 ok; 1 failed (invalid file, database unreachable, statement refused, data plane not ready);
            2 bad usage or environment (unknown option, busy port, no PostgreSQL for the local engine); 3 changes blocked
            as destructive; 4 plan: changes pending.
            """)
        {
            InitCommand.Build(context),
            DevCommand.Build(context),
            SyncCommands.Push(context),
            SyncCommands.Plan(context),
            StatusCommand.Build(context),
            GenerateCommand.Build(context),
        };
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, CliContext context, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parse = Build(context).Parse(args.Length == 0 ? ["--help"] : args);
        var invocation = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,
            // wavelet dev stops a database and a web server on Ctrl-C / SIGTERM: give it time to do so.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
        };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync($"wavelet: {error.Message}");
            }

            await context.Error.WriteLineAsync("Run 'wavelet --help' (or 'wavelet <command> --help') for usage.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(invocation, ct);
    }
}
