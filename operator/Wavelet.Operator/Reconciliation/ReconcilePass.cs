using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Kubernetes.Events;

namespace Wavelet.Operator.Reconciliation;

/// <summary>
/// The state of one reconcile pass: the status projection every phase writes into (written to the API once, at the end)
/// and the Events the phases decided on (sent after that write, so an Event never describes a status not yet visible).
/// </summary>
public sealed class ReconcilePass(WaveletProject project, ProjectStatusBuilder status, ReconcileScope scope)
{
    private readonly List<PendingEvent> _events = [];

    public WaveletProject Project { get; } = project;

    public ProjectStatusBuilder Status { get; } = status;

    public ReconcileScope Scope { get; } = scope;

    /// <summary>The phase running, or the one that ended the pass.</summary>
    public ReconcilePhase Phase { get; set; } = ReconcilePhase.Validate;

    public IReadOnlyList<PendingEvent> Events => _events;

    public void Normal(string reason, string message) => _events.Add(new PendingEvent(EventTypes.Normal, reason, message));

    public void Warning(string reason, string message) => _events.Add(new PendingEvent(EventTypes.Warning, reason, message));
}

/// <summary>An Event decided on during a pass, sent after its status write.</summary>
public sealed record PendingEvent(string Type, string Reason, string Message);
