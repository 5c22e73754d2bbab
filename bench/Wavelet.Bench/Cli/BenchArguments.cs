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

    /// <summary>The command; <paramref name="run"/> gets the parsed settings.</summary>
    public static RootCommand Create(IReadOnlyCollection<string> knownScenarios, Func<BenchSettings, CancellationToken, Task<int>> run)
    {
        var scenarios = new Argument<string[]>("scenario")
        {
            Description = $"Scenarios to run, in order: {string.Join(", ", knownScenarios)}; or all.",
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
        var root = new RootCommand("Wavelet benchmarks: runs scenarios against a data plane, local engine and operator on this machine and prints a markdown report. " +
            "Exit codes: 0 done; 2 bad usage; 3 setup failed; 130 cancelled.")
        {
            scenarios,
            size,
            dataPlane,
            cpus,
            output,
        };
        // On the command, not the argument: an unknown --flag lands among the scenario tokens and is refused here.
        root.Validators.Add(result =>
        {
            if (result.GetResult(size) is { Implicit: false, Tokens.Count: 0 })
            {
                result.AddError("--size needs a value"); // an option with a default accepts a bare flag otherwise
            }

            var named = result.GetResult(scenarios)?.Tokens ?? [];
            if (named.FirstOrDefault(t => t.Value != "all" && !knownScenarios.Contains(t.Value)) is { } unknown)
            {
                result.AddError($"unknown scenario or option '{unknown.Value}': scenarios are {string.Join(", ", knownScenarios)}, or all");
            }
            else if (named.Count == 0)
            {
                result.AddError("name a scenario or all");
            }
        });
        root.SetAction((parse, ct) =>
        {
            var named = parse.GetValue(scenarios) ?? [];
            var settings = new BenchSettings
            {
                Size = parse.GetValue(size),
                DataPlaneDll = parse.GetValue(dataPlane),
                DataPlaneCpus = parse.GetValue(cpus),
                OutputFile = parse.GetValue(output),
                Scenarios = [.. named.SelectMany(s => s == "all" ? knownScenarios : [s]).Distinct(StringComparer.Ordinal)],
            };
            return run(settings, ct);
        });
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
