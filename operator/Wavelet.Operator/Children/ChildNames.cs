using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Children;

/// <summary>Names of the objects the operator creates for a project.</summary>
public static class ChildNames
{
    /// <summary>Deployment, Service, PDB and HPA name.</summary>
    public static string Workload(WaveletProject project) => $"{project.Metadata.Name}-wavelet";

    public static string ConfigMap(WaveletProject project) => $"{project.Metadata.Name}-wavelet-config";

    public static string Endpoint(WaveletProject project, int port) =>
        $"http://{Workload(project)}.{project.Metadata.NamespaceProperty}.svc:{port}";
}
