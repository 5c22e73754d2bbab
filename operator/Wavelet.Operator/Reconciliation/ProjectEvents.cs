using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Kubernetes.Events;

namespace Wavelet.Operator.Reconciliation;

/// <summary>Events through the <see cref="EventRecorder"/>, which logs a failure to record and never fails the reconcile.</summary>
public sealed class ProjectEvents(EventRecorder recorder) : IProjectEvents
{
    public Task NormalAsync(WaveletProject project, string reason, string message, CancellationToken ct) =>
        recorder.RecordAsync(project, EventTypes.Normal, reason, message, ct);

    public Task WarningAsync(WaveletProject project, string reason, string message, CancellationToken ct) =>
        recorder.RecordAsync(project, EventTypes.Warning, reason, message, ct);
}
