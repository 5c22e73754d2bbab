namespace Wavelet.Operator.Hosting;

/// <summary>
/// What /readyz reports: the process is ready once its caches are synced (leader) or it is standing by (not leader).
/// A standby replica is ready: it serves health and metrics and takes over when the leader goes.
/// </summary>
public sealed class OperatorReadiness
{
    private volatile string? _notReadyReason = "starting";

    public bool IsReady => _notReadyReason is null;

    public string? NotReadyReason => _notReadyReason;

    public void MarkReady() => _notReadyReason = null;

    public void MarkNotReady(string reason) => _notReadyReason = reason;
}
