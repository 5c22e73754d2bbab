using System.CommandLine;
using Microsoft.Extensions.Logging;
using Wavelet.Cli.Dev;

namespace Wavelet.Cli.Commands;

/// <summary>`wavelet dev [file]`: the whole system on this machine, following the file as it changes.</summary>
public static class DevCommand
{
    public const string PortVariable = "WAVELET_DEV_PORT";

    public static Command Build(CliContext context)
    {
        var file = CommonOptions.FileArgument();
        var project = CommonOptions.Project();
        var database = new Option<string?>("--database-url", "--database")
        {
            Description = $"Use the RisingWave at this postgres:// URL (it must answer). Default: ${Database.DatabaseUrl.Variable}; else the file's connection Secret when it answers, else risingwave playground, Docker or the local engine",
        };
        var engine = new Option<string>("--engine")
        {
            Description = "Which database to start when no URL is given: auto (risingwave on PATH, else Docker, else the local engine), risingwave, docker or local",
            DefaultValueFactory = _ => DevEngine.Auto,
        };
        engine.AcceptOnlyFromAmong(DevEngine.All);
        var port = new Option<int>("--port", "-p")
        {
            Description = $"Port of the data plane and the console on 127.0.0.1 (0 picks a free one). Default: ${PortVariable}, else 8080",
            DefaultValueFactory = _ => int.TryParse(context.Environment(PortVariable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fromEnvironment) ? fromEnvironment : 8080,
        };
        var enginePort = new Option<int>("--engine-port")
        {
            Description = "Port of the local engine on 127.0.0.1 when dev starts it (0 picks a free one)",
            DefaultValueFactory = _ => 0,
        };
        var barrier = new Option<int>("--barrier-ms")
        {
            Description = "Local engine only: how often committed writes become a diff (RisingWave's barrier interval)",
            DefaultValueFactory = _ => 500,
        };
        var claims = new Option<string[]>("--claim")
        {
            Description = "A claim of the printed dev token, name=value (repeatable), e.g. --claim tenant_id=acme for a query with filterBy tenant_id",
            AllowMultipleArgumentsPerToken = false,
        };
        var install = new Option<bool>("--install")
        {
            Description = "When the local engine finds no PostgreSQL server binaries, install them (apt-get, Debian or Ubuntu, as root)",
        };
        var command = new Command("dev", "Run the project on this machine: find or start RisingWave (else the local engine), sync the DDL, serve the data plane, a dev token and a console, and live-reload on every change of the file. Ctrl-C or SIGTERM stops everything it started")
        {
            file, project, database, engine, port, enginePort, barrier, claims, install,
        };
        command.SetAction((parse, ct) => CliRunner.RunAsync(context, async () =>
        {
            if (parse.GetValue(port) is < 0 or > 65535 || parse.GetValue(enginePort) is < 0 or > 65535)
            {
                throw new CliException("--port and --engine-port must be between 0 and 65535", ExitCodes.Usage);
            }

            if (parse.GetValue(barrier) <= 0)
            {
                throw new CliException("--barrier-ms must be positive", ExitCodes.Usage);
            }

            var options = new DevOptions
            {
                File = parse.GetValue(file)!,
                Project = parse.GetValue(project),
                DatabaseUrl = parse.GetValue(database),
                Engine = parse.GetValue(engine)!,
                Port = parse.GetValue(port),
                EnginePort = parse.GetValue(enginePort),
                BarrierInterval = TimeSpan.FromMilliseconds(parse.GetValue(barrier)),
                Claims = DevAuth.ParseClaims(parse.GetValue(claims) ?? []),
                Install = parse.GetValue(install),
            };
            using var loggers = LoggerFactory.Create(logging => logging
                .AddSimpleConsole(o => o.SingleLine = true)
                .SetMinimumLevel(LogLevel.Warning));
            try
            {
                return await new DevSession(context, options, loggers, TimeProvider.System).RunAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return ExitCodes.Ok; // Ctrl-C or SIGTERM while starting: everything started so far was stopped
            }
        }));
        return command;
    }
}
