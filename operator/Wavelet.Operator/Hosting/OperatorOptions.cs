namespace Wavelet.Operator.Hosting;

/// <summary>Operator settings, bound from the <c>Operator</c> configuration section (env <c>Operator__*</c>, flags).</summary>
public sealed class OperatorOptions
{
    public const string SectionName = "Operator";

    /// <summary>Namespaces whose WaveletProjects are reconciled; empty = all namespaces.</summary>
    public List<string> WatchNamespaces { get; set; } = [];

    /// <summary>Port serving /metrics.</summary>
    public int MetricsPort { get; set; } = 8080;

    /// <summary>Port serving /healthz and /readyz.</summary>
    public int HealthPort { get; set; } = 8081;

    public LeaderElectionOptions LeaderElection { get; set; } = new();

    /// <summary>Data-plane image used when a project does not set spec.dataPlane.image.</summary>
    public string DataPlaneImage { get; set; } = "ghcr.io/wavelet-operator/dataplane:latest";

    /// <summary>
    /// Images spec.dataPlane.image may name: "*", prefixes ending in "/", or repositories. Empty: only the repository of
    /// <see cref="DataPlaneImage"/> (see Children.ImagePolicy).
    /// </summary>
    public List<string> AllowedImages { get; set; } = [];

    /// <summary>
    /// Let data-plane pods call webhook and JWKS URLs on private and cluster addresses (10/8, 172.16/12, 192.168/16,
    /// 100.64/10, fc00::/7). Off by default: a project editor could otherwise make the data plane call internal services.
    /// </summary>
    public bool DataPlaneAllowPrivateEgress { get; set; }

    /// <summary>How often every project is reconciled again to correct drift (a deleted MV, an edited Deployment).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Projects reconciled at the same time (one reconcile per project at a time regardless).</summary>
    public int MaxConcurrentReconciles { get; set; } = 2;

    /// <summary>Name of this replica for leader election and Events; default: the host name.</summary>
    public string? Identity { get; set; }

    /// <summary>Namespaces to watch, or [null] for all namespaces.</summary>
    public IReadOnlyList<string?> EffectiveNamespaces =>
        WatchNamespaces.Count == 0 ? [null] : [.. WatchNamespaces.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.Ordinal)];
}

public sealed class LeaderElectionOptions
{
    public bool Enabled { get; set; } = true;

    public string LeaseName { get; set; } = "wavelet-operator";

    /// <summary>Namespace of the Lease; default: the namespace the operator runs in (POD_NAMESPACE), else "default".</summary>
    public string? LeaseNamespace { get; set; }

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);
}
