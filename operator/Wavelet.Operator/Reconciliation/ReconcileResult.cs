namespace Wavelet.Operator.Reconciliation;

public enum ReconcileOutcome
{
    /// <summary>Converged (or nothing to do); reconcile again on the next change or resync.</summary>
    Success,

    /// <summary>Waiting for something that is expected to happen (a rollout); look again after <see cref="ReconcileResult.RequeueAfter"/>.</summary>
    Requeue,

    /// <summary>A failure that may heal (missing Secret, database down, API error): retry with exponential backoff.</summary>
    Retry,

    /// <summary>Cannot progress until the spec changes (invalid spec): no retry.</summary>
    Stalled,
}

/// <param name="Phase">The phase that ended the pass (the last one when it converged).</param>
/// <param name="WritesStatus">False when the pass must leave the status alone (a released finalizer: the object is going away).</param>
public sealed record ReconcileResult(
    ReconcileOutcome Outcome, TimeSpan? RequeueAfter = null, string? Reason = null, ReconcilePhase Phase = ReconcilePhase.Validate, bool WritesStatus = true)
{
    public static ReconcileResult Done { get; } = new(ReconcileOutcome.Success);

    public static ReconcileResult After(TimeSpan delay) => new(ReconcileOutcome.Requeue, delay);

    public static ReconcileResult RetryFor(string reason) => new(ReconcileOutcome.Retry, Reason: reason);

    public static ReconcileResult StalledBy(string reason) => new(ReconcileOutcome.Stalled, Reason: reason);
}
