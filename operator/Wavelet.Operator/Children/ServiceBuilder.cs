using k8s.Models;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Children;

public static class ServiceBuilder
{
    public static int Port(WaveletProject project) => project.Spec.DataPlane?.Service?.Port ?? WaveletProjectDefaults.ServicePort;

    public static V1Service Build(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var settings = project.Spec.DataPlane?.Service;
        return new V1Service
        {
            Metadata = ProjectLabels.Metadata(project, ChildNames.Workload(project), settings?.Annotations),
            Spec = new V1ServiceSpec
            {
                Type = settings?.Type ?? WaveletProjectDefaults.ServiceType,
                Selector = ProjectLabels.Selector(project),
                Ports = [new V1ServicePort { Name = DataPlaneRuntime.PortName, Port = Port(project), TargetPort = DataPlaneRuntime.PortName, Protocol = "TCP" }],
            },
        };
    }
}
