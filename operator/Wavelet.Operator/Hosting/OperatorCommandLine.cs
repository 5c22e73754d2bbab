using System.CommandLine;
using System.CommandLine.Parsing;

namespace Wavelet.Operator.Hosting;

/// <summary>
/// The operator's flags (Kubernetes style) and what they set in the <c>Operator</c> configuration section, so a flag,
/// an environment variable (<c>Operator__MetricsPort</c>) and appsettings set the same <see cref="OperatorOptions"/>.
/// </summary>
public static class OperatorCommandLine
{
    private static readonly (Option Option, string Key)[] Flags =
    [
        (Text("--metrics-port", "Port serving /metrics (default 8080)."), "Operator:MetricsPort"),
        (Text("--health-port", "Port serving /healthz and /readyz (default 8081)."), "Operator:HealthPort"),
        (Text("--leader-elect", "Run behind leader election on a Lease: true (default) or false."), "Operator:LeaderElection:Enabled"),
        (Text("--lease-name", "Name of the leader-election Lease (default wavelet-operator)."), "Operator:LeaderElection:LeaseName"),
        (Text("--lease-namespace", "Namespace of the Lease (default: POD_NAMESPACE, else default)."), "Operator:LeaderElection:LeaseNamespace"),
        (Text("--data-plane-image", "Data-plane image for projects that do not set spec.dataPlane.image."), "Operator:DataPlaneImage"),
        (Text("--resync-period", "How often every project is reconciled again (drift, rotated Secrets), e.g. 10m (default)."), "Operator:ResyncPeriod"),
        (Text("--max-concurrent-reconciles", "Projects reconciled at the same time (default 2)."), "Operator:MaxConcurrentReconciles"),
        (Text("--identity", "Name of this replica for leader election and Events (default: the host name)."), "Operator:Identity"),
    ];

    private static readonly Option<string> WatchNamespaces = Text("--watch-namespaces", "Comma-separated namespaces to reconcile (default: all).");
    private static readonly Option<string> AllowedImages = Text("--allowed-images", "Comma-separated images spec.dataPlane.image may name: *, prefixes ending in /, or repositories (default: the repository of --data-plane-image).");

    /// <summary>The command: <c>--help</c> prints the usage; <paramref name="run"/> gets the settings the flags set.</summary>
    public static RootCommand Create(Func<Dictionary<string, string?>, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("Wavelet operator: reconciles WaveletProjects into RisingWave schemas and data-plane Deployments. " +
            "Finds the cluster through KUBECONFIG, ~/.kube/config or the pod's service account. " +
            "The DDL commands are in the wavelet CLI (wavelet plan / wavelet push). Exit codes: 0 stopped; 2 bad flags, settings or no cluster.");
        foreach (var (option, _) in Flags)
        {
            root.Options.Add(option);
        }

        root.Options.Add(WatchNamespaces);
        root.Options.Add(AllowedImages);
        root.SetAction((result, ct) => run(Settings(result), ct));
        return root;
    }

    /// <summary>The configuration keys the flags in <paramref name="args"/> set; bad flags throw with the parser's message.</summary>
    public static Dictionary<string, string?> Parse(string[] args)
    {
        var result = Create((_, _) => Task.FromResult(0)).Parse(args);
        if (result.Errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", result.Errors.Select(e => e.Message)));
        }

        return Settings(result);
    }

    private static Dictionary<string, string?> Settings(ParseResult result)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (option, key) in Flags)
        {
            if (result.GetValue((Option<string>)option) is { } value)
            {
                settings[key] = value;
            }
        }

        // A list cannot be one configuration value: --watch-namespaces a,b becomes Operator:WatchNamespaces:0 and :1.
        var namespaces = result.GetValue(WatchNamespaces)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        for (var i = 0; i < namespaces.Length; i++)
        {
            settings[$"Operator:WatchNamespaces:{i}"] = namespaces[i];
        }

        var images = result.GetValue(AllowedImages)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        for (var i = 0; i < images.Length; i++)
        {
            settings[$"Operator:AllowedImages:{i}"] = images[i];
        }

        return settings;
    }

    private static Option<string> Text(string name, string description) => new(name) { Description = description, HelpName = "value" };
}
