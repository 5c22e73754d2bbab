using Microsoft.Extensions.Logging;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Kubernetes;

namespace Wavelet.Operator.Reconciliation;

/// <summary>Events through the client's <see cref="EventRecorder"/>; a failure to record is logged, never fails the reconcile.</summary>
public sealed class ProjectEvents(EventRecorder recorder, ILogger<ProjectEvents> logger) : IProjectEvents
{
    public Task NormalAsync(WaveletProject project, string reason, string message, CancellationToken ct) => RecordAsync(project, "Normal", reason, message, ct);

    public Task WarningAsync(WaveletProject project, string reason, string message, CancellationToken ct) => RecordAsync(project, "Warning", reason, message, ct);

    private async Task RecordAsync(WaveletProject project, string type, string reason, string message, CancellationToken ct)
    {
        try
        {
            await recorder.RecordAsync(project, type, reason, message, ct);
        }
        catch (Exception e) when (e is KubernetesException or HttpRequestException)
        {
            logger.LogWarning(e, "could not record event {Reason} on {Namespace}/{Name}", reason, project.Metadata.NamespaceProperty, project.Metadata.Name);
        }
    }
}
