using System.CommandLine;
using System.CommandLine.Parsing;

namespace Wavelet.Bench.Cli;

/// <summary>
/// <c>wavelet-bench &lt;all|scenario...&gt; [--size smoke|ci|small|full|long] [--dataplane dll] [--dataplane-cpus list] [--out results.md]</c>
/// through System.CommandLine: a generated <c>--help</c>, and a bad argument is one line and exit code <see cref="UsageExitCode"/>.
/// </summary>
public static class BenchArguments
{
    public const int UsageExitCode = 2;

    /// <summary>The scenarios whose figures are per data-plane core when the data plane is pinned.</summary>
    public static readonly IReadOnlyList<string> PerCoreScenarios = ["fanout", "broadcast", "connect-storm", "idle-memory", "writes"];

    /// <summary>The scenarios that can drive a server the driver did not start (target mode).</summary>
    public static readonly IReadOnlyList<string> TargetScenarios = ["fanout", "broadcast"];

    /// <summary>The command; <paramref name="run"/> gets the parsed settings.</summary>
    public static RootCommand Create(IReadOnlyCollection<string> knownScenarios, Func<BenchSettings, CancellationToken, Task<int>> run)
    {
        var scenarios = new Argument<string[]>("scenario")
        {
            Description = $"Scenarios to run, in order: {string.Join(", ", knownScenarios)}; all; or per-core ({string.Join(", ", PerCoreScenarios)}, data plane on CPU 0 unless --dataplane-cpus).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var size = new Option<BenchSize>("--size")
        {
            Description = "smoke (alias ci), small (default) or full (alias long).",
            HelpName = "size",
            DefaultValueFactory = _ => new BenchSettings().Size,
            CustomParser = ParseSize,
        };
        var dataPlane = new Option<string?>("--dataplane") { Description = "Path to the Wavelet.DataPlane.dll to measure (default: this repository's build output).", HelpName = "dll" };
        var cpus = new Option<string?>("--dataplane-cpus") { Description = "CPU list (taskset syntax, e.g. 1) the data plane is pinned to.", HelpName = "list" };
        var output = new Option<string?>("--out") { Description = "Markdown file the results are appended to.", HelpName = "file" };
        var writers = new Option<int?>("--writers")
        {
            Description = "Concurrent single-event writers of the writes scenario (default: the size's).",
            HelpName = "count",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
                {
                    return n;
                }

                result.AddError($"--writers '{text}' is not a positive number of concurrent writers");
                return null;
            },
        };
        var targetUrls = new Option<string[]>("--target-url") { Description = "Target mode (fanout, broadcast): base URL (ws:// or http://) of a server to drive instead of starting a data plane; at most two, compared side by side.", HelpName = "url" };
        var engineUrl = new Option<string?>("--engine-url") { Description = "Target mode: postgres:// URL of the engine the targets follow (the driver writes there).", HelpName = "url" };
        var targetSecret = new Option<string?>("--target-secret") { Description = "Target mode: the HS256 secret the targets verify tokens with.", HelpName = "secret" };
        var targetClaim = new Option<string>("--target-claim") { Description = "Target mode: the claim carrying the tenant.", HelpName = "claim", DefaultValueFactory = _ => "tenant" };
        var root = new RootCommand("Wavelet benchmarks: runs scenarios against a data plane, local engine and operator on this machine and prints a markdown report. " +
            "Exit codes: 0 done; 2 bad usage; 3 setup failed; 130 cancelled.")
        {
            scenarios,
            size,
            dataPlane,
            cpus,
            writers,
            targetUrls,
            engineUrl,
            targetSecret,
            targetClaim,
            output,
        };

        BenchSettings Settings(CommandResult result)
        {
            var named = result.GetValue(scenarios) ?? [];
            var settings = new BenchSettings
            {
                Size = result.GetValue(size),
                DataPlaneDll = result.GetValue(dataPlane),
                DataPlaneCpus = result.GetValue(cpus),
                OutputFile = result.GetValue(output),
                Writers = result.GetValue(writers),
                EngineUrl = result.GetValue(engineUrl),
                TargetSecret = result.GetValue(targetSecret),
                TargetClaim = result.GetValue(targetClaim) ?? "tenant",
            };
            foreach (var name in named)
            {
                switch (name)
                {
                    case "all":
                        settings.Scenarios.AddRange(knownScenarios);
                        break;
                    case "per-core":
                        settings.Scenarios.AddRange(PerCoreScenarios.Where(knownScenarios.Contains));
                        settings.DataPlaneCpus ??= "0";
                        break;
                    default:
                        settings.Scenarios.Add(name);
                        break;
                }
            }

            settings.Scenarios = [.. settings.Scenarios.Distinct(StringComparer.Ordinal)];
            foreach (var target in result.GetValue(targetUrls) ?? [])
            {
                settings.TargetUrls.Add(Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "http" or "wss" or "https"
                    ? uri
                    : throw new ArgumentException($"--target-url '{target}' is not a ws://, wss://, http:// or https:// base URL"));
            }

            if (settings.TargetUrls.Count > 0)
            {
                CheckTargetMode(settings);
            }

            return settings;
        }
        // On the command, not the argument: an unknown --flag lands among the scenario tokens and is refused here.
        root.Validators.Add(result =>
        {
            if (result.GetResult(size) is { Implicit: false, Tokens.Count: 0 })
            {
                result.AddError("--size needs a value"); // an option with a default accepts a bare flag otherwise
            }

            var named = result.GetResult(scenarios)?.Tokens ?? [];
            if (named.FirstOrDefault(t => t.Value is not ("all" or "per-core") && !knownScenarios.Contains(t.Value)) is { } unknown)
            {
                result.AddError($"unknown scenario or option '{unknown.Value}': scenarios are {string.Join(", ", knownScenarios)}, or all");
            }
            else if (named.Count == 0)
            {
                result.AddError("name a scenario or all");
            }
            else
            {
                try
                {
                    Settings(result);
                }
                catch (ArgumentException e)
                {
                    result.AddError(e.Message);
                }
                catch (InvalidOperationException)
                {
                    // a value that did not parse: the parser has reported it
                }
            }
        });
        root.SetAction((parse, ct) => run(Settings(parse.CommandResult), ct));
        return root;
    }

    /// <summary>The settings <paramref name="args"/> ask for; bad arguments throw with the parser's message.</summary>
    public static BenchSettings Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> knownScenarios)
    {
        BenchSettings? settings = null;
        var parse = Create(knownScenarios, (s, _) =>
        {
            settings = s;
            return Task.FromResult(0);
        }).Parse([.. args]);
        if (parse.Errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", parse.Errors.Select(e => e.Message)));
        }

        parse.Invoke();
        return settings!;
    }

    /// <summary>Parses <paramref name="args"/>: prints help, or reports bad usage in one line, or runs <paramref name="run"/>.</summary>
    public static async Task<int> InvokeAsync(
        string[] args, IReadOnlyCollection<string> knownScenarios, Func<BenchSettings, CancellationToken, Task<int>> run, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var parse = Create(knownScenarios, run).Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"wavelet-bench: {string.Join("; ", parse.Errors.Select(e => e.Message))} (see --help)");
            return UsageExitCode;
        }

        // Ctrl+C cancels the token the bench was given (reported as exit 130): no second handler.
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, ct);
    }

    private static void CheckTargetMode(BenchSettings settings)
    {
        if (settings.TargetUrls.Count > 2)
        {
            throw new ArgumentException("at most two --target-url: the report puts them side by side with their ratio");
        }

        if (settings.EngineUrl is null || settings.TargetSecret is null)
        {
            throw new ArgumentException("--target-url needs --engine-url (the engine the targets follow; the driver writes there) and --target-secret (the HS256 secret the targets verify tokens with)");
        }

        if (settings.Scenarios.FirstOrDefault(s => !TargetScenarios.Contains(s)) is { } other)
        {
            throw new ArgumentException($"scenario '{other}' cannot run against a --target-url: target mode runs {string.Join(" and ", TargetScenarios)}");
        }

        if (settings.DataPlaneCpus is not null || settings.DataPlaneDll is not null)
        {
            throw new ArgumentException("--dataplane and --dataplane-cpus apply to the data plane the driver starts; with --target-url it starts none (pin the targets yourself)");
        }
    }

    private static BenchSize ParseSize(ArgumentResult result)
    {
        var size = result.Tokens[0].Value;
        switch (size)
        {
            case "smoke" or "ci":
                return BenchSize.Smoke;
            case "small":
                return BenchSize.Small;
            case "full" or "long":
                return BenchSize.Full;
            default:
                result.AddError($"--size '{size}' is not a size: use smoke (alias ci), small or full (alias long)");
                return default;
        }
    }
}
