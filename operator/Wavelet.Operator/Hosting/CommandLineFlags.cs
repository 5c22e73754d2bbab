namespace Wavelet.Operator.Hosting;

/// <summary>Kubernetes-style flags mapped onto the <see cref="OperatorOptions"/> configuration keys.</summary>
public static class CommandLineFlags
{
    public static IDictionary<string, string> Mappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--metrics-port"] = "Operator:MetricsPort",
        ["--health-port"] = "Operator:HealthPort",
        ["--leader-elect"] = "Operator:LeaderElection:Enabled",
        ["--lease-name"] = "Operator:LeaderElection:LeaseName",
        ["--lease-namespace"] = "Operator:LeaderElection:LeaseNamespace",
        ["--data-plane-image"] = "Operator:DataPlaneImage",
        ["--resync-period"] = "Operator:ResyncPeriod",
        ["--max-concurrent-reconciles"] = "Operator:MaxConcurrentReconciles",
        ["--identity"] = "Operator:Identity",
    };

    /// <summary>
    /// Expands <c>--watch-namespaces a,b</c> into indexed keys (a list cannot be one flag value) and returns the remaining args.
    /// </summary>
    public static (string[] Args, Dictionary<string, string?> Extra) Split(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var rest = new List<string>();
        var extra = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            string? value = null;
            if (args[i] == "--watch-namespaces" && i + 1 < args.Length)
            {
                value = args[++i];
            }
            else if (args[i].StartsWith("--watch-namespaces=", StringComparison.Ordinal))
            {
                value = args[i]["--watch-namespaces=".Length..];
            }
            else
            {
                rest.Add(args[i]);
                continue;
            }

            var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var n = 0; n < names.Length; n++)
            {
                extra[$"Operator:WatchNamespaces:{n}"] = names[n];
            }
        }

        return ([.. rest], extra);
    }
}
