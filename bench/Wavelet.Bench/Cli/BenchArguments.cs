namespace Wavelet.Bench.Cli;

/// <summary>`wavelet-bench &lt;all|scenario...&gt; [--size smoke|ci|small|full|long] [--dataplane dll] [--out results.md]`.</summary>
public static class BenchArguments
{
    public const string Usage =
        "usage: Wavelet.Bench <all | fanout | broadcast | connect-storm | resume-storm | reads | writes | idle-memory | operator | soak | operator-soak ...> " +
        "[--size smoke|small|full (ci = smoke, long = full)] [--dataplane path/to/Wavelet.DataPlane.dll] [--dataplane-cpus 1] [--writers 256] [--out results.md]" +
        " | per-core (fanout, broadcast, connect-storm, idle-memory, writes; data plane on CPU 0 unless --dataplane-cpus)" +
        " | fanout|broadcast --engine-url postgres://... --target-url ws://host:port [--target-url ...] --target-secret <HS256 secret> [--target-claim tenant]";

    /// <summary>The scenarios whose figures are per data-plane core when the data plane is pinned.</summary>
    public static readonly IReadOnlyList<string> PerCoreScenarios = ["fanout", "broadcast", "connect-storm", "idle-memory", "writes"];

    /// <summary>The scenarios that can drive a server the driver did not start (target mode).</summary>
    public static readonly IReadOnlyList<string> TargetScenarios = ["fanout", "broadcast"];

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
                case "per-core":
                    settings.Scenarios.AddRange(PerCoreScenarios.Where(knownScenarios.Contains));
                    settings.DataPlaneCpus ??= "0";
                    break;
                case "--target-url":
                    var target = Value(args, ref i, argument);
                    settings.TargetUrls.Add(Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "http" or "wss" or "https"
                        ? uri
                        : throw new ArgumentException($"--target-url '{target}' is not a ws://, wss://, http:// or https:// base URL"));
                    break;
                case "--target-secret":
                    settings.TargetSecret = Value(args, ref i, argument);
                    break;
                case "--target-claim":
                    settings.TargetClaim = Value(args, ref i, argument);
                    break;
                case "--writers":
                    var writers = Value(args, ref i, argument);
                    settings.Writers = int.TryParse(writers, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
                        ? n
                        : throw new ArgumentException($"--writers '{writers}' is not a positive number of concurrent writers");
                    break;
                case "--engine-url":
                    settings.EngineUrl = Value(args, ref i, argument);
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
        if (settings.TargetUrls.Count > 0)
        {
            CheckTargetMode(settings);
        }

        return settings;
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

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{option} needs a value");
        }

        return args[++i];
    }
}
