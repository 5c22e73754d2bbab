using k8s.Models;
using Wavelet.Api.V1Alpha1;

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
                // IntOrString: "1" goes out as the number 1, "50%" as a string.
                MinAvailable = settings.MaxUnavailable is null ? settings.MinAvailable ?? "1" : null,
                MaxUnavailable = settings.MaxUnavailable,
                Selector = new V1LabelSelector { MatchLabels = ProjectLabels.Selector(project) },
            },
        };
    }
}
