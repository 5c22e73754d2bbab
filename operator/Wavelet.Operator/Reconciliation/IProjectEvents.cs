using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Reconciliation;

/// <summary>Kubernetes Events about a project (the recorder aggregates repeats).</summary>
public interface IProjectEvents
{
    Task NormalAsync(WaveletProject project, string reason, string message, CancellationToken ct);

    Task WarningAsync(WaveletProject project, string reason, string message, CancellationToken ct);
}
