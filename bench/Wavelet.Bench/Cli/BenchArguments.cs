namespace Wavelet.Bench.Cli;

/// <summary>`wavelet-bench &lt;all|scenario...&gt; [--size smoke|ci|small|full|long] [--dataplane dll] [--out results.md]`.</summary>
public static class BenchArguments
{
    public const string Usage =
        "usage: Wavelet.Bench <all | fanout | broadcast | connect-storm | resume-storm | reads | writes | idle-memory | operator | soak | operator-soak ...> " +
        "[--size smoke|small|full (ci = smoke, long = full)] [--dataplane path/to/Wavelet.DataPlane.dll] [--dataplane-cpus 1] [--out results.md]";

    public static BenchSettings Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> knownScenarios)
    {
        var settings = new BenchSettings();
        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            switch (argument)
            {
                case "--size":
                    var size = Value(args, ref i, argument);
                    settings.Size = size switch
                    {
                        "smoke" or "ci" => BenchSize.Smoke,
                        "small" => BenchSize.Small,
                        "full" or "long" => BenchSize.Full,
                        _ => throw new ArgumentException($"--size '{size}' is not a size: use smoke (alias ci), small or full (alias long)"),
                    };
                    break;
                case "--dataplane":
                    settings.DataPlaneDll = Value(args, ref i, argument);
                    break;
                case "--dataplane-cpus":
                    settings.DataPlaneCpus = Value(args, ref i, argument);
                    break;
                case "--out":
                    settings.OutputFile = Value(args, ref i, argument);
                    break;
                case "all":
                    settings.Scenarios.AddRange(knownScenarios);
                    break;
                default:
                    if (!knownScenarios.Contains(argument))
                    {
                        throw new ArgumentException($"unknown scenario or option '{argument}': scenarios are {string.Join(", ", knownScenarios)}, or all");
                    }

                    settings.Scenarios.Add(argument);
                    break;
            }
        }

        if (settings.Scenarios.Count == 0)
        {
            throw new ArgumentException("name a scenario or all");
        }

        settings.Scenarios = [.. settings.Scenarios.Distinct(StringComparer.Ordinal)];
        return settings;
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{option} needs a value");
        }

        return args[++i];
    }
}
