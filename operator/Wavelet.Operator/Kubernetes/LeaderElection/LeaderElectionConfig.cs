namespace Wavelet.Operator.Kubernetes;

/// <summary>Leader election over a coordination.k8s.io Lease, with client-go's default timings.</summary>
public sealed record LeaderElectionConfig
{
    public required string Namespace { get; init; }
    public required string LeaseName { get; init; }

    /// <summary>This candidate's identity (usually the pod name); must be unique among candidates.</summary>
    public required string Identity { get; init; }

    /// <summary>How long non-leaders wait after last seeing the lease change before taking it.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a failed renewal before giving leadership up.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between acquire/renew attempts (jittered by up to 20 % when acquiring).</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On cancellation the leader empties the lease so another candidate takes over at once.</summary>
    public bool ReleaseOnCancel { get; init; } = true;

    internal const double JitterFactor = 1.2;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Namespace) || string.IsNullOrWhiteSpace(LeaseName) || string.IsNullOrWhiteSpace(Identity))
        {
            throw new ArgumentException("Leader election needs a namespace, a lease name and a non-empty identity (e.g. the pod name).");
        }

        if (LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentException($"LeaseDuration ({LeaseDuration.TotalSeconds} s) must be greater than RenewDeadline ({RenewDeadline.TotalSeconds} s).");
        }

        if (RenewDeadline <= RetryPeriod * JitterFactor)
        {
            throw new ArgumentException($"RenewDeadline ({RenewDeadline.TotalSeconds} s) must be greater than {JitterFactor} × RetryPeriod ({RetryPeriod.TotalSeconds} s).");
        }

        if (LeaseDuration.TotalSeconds < 1 || LeaseDuration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"LeaseDuration ({LeaseDuration}) must be a whole number of seconds (the Lease stores leaseDurationSeconds).");
        }
    }
}
