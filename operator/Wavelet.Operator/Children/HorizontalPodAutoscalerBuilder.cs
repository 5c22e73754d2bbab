using k8s.Models;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Children;

public static class HorizontalPodAutoscalerBuilder
{
    /// <summary>The HPA when spec.dataPlane.autoscaling is set and the project is not suspended, else null.</summary>
    public static V2HorizontalPodAutoscaler? Build(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var settings = project.Spec.DataPlane?.Autoscaling;
        if (settings is null || WaveletProjectDefaults.IsSuspended(project))
        {
            return null;
        }

        return new V2HorizontalPodAutoscaler
        {
            Metadata = ProjectLabels.Metadata(project, ChildNames.Workload(project)),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = ChildNames.Workload(project) },
                MinReplicas = settings.MinReplicas ?? 1,
                MaxReplicas = settings.MaxReplicas,
                Metrics =
                [
                    new V2MetricSpec
                    {
                        Type = "Resource",
                        Resource = new V2ResourceMetricSource
                        {
                            Name = "cpu",
                            Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = settings.TargetCPUUtilization ?? 80 },
                        },
                    },
                ],
            },
        };
    }
}
