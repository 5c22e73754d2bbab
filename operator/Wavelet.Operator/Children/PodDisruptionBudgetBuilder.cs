using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Kubernetes.Models.Workloads;

namespace Wavelet.Operator.Children;

public static class PodDisruptionBudgetBuilder
{
    /// <summary>The PDB when spec.dataPlane.podDisruptionBudget.enabled, else null (and any existing one is deleted).</summary>
    public static V1PodDisruptionBudget? Build(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var settings = project.Spec.DataPlane?.PodDisruptionBudget;
        if (settings?.Enabled != true)
        {
            return null;
        }

        return new V1PodDisruptionBudget
        {
            Metadata = ProjectLabels.Metadata(project, ChildNames.Workload(project)),
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = settings.MaxUnavailable is null ? settings.MinAvailable ?? "1" : null,
                MaxUnavailable = settings.MaxUnavailable,
                Selector = new V1LabelSelector { MatchLabels = ProjectLabels.Selector(project) },
            },
        };
    }
}
