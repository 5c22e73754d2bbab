using k8s;
using k8s.Exceptions;

namespace Wavelet.Operator.Kubernetes;

/// <summary>No way to reach the cluster was found, or the kubeconfig found cannot be used; the message says what to set.</summary>
public sealed class KubernetesConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Finds the cluster the way kubectl does: KUBECONFIG (files that exist), else ~/.kube/config, else the pod's service
/// account. KubernetesClient's <see cref="KubernetesClientConfiguration.BuildDefaultConfig"/> falls back to
/// http://localhost:8080 when it finds nothing, which in the operator's pod is its own metrics port; this refuses instead.
/// </summary>
public static class KubernetesConfiguration
{
    public static KubernetesClientConfiguration Load()
    {
        var listed = Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        try
        {
            if (listed.Length > 0 && listed.All(File.Exists))
            {
                return KubernetesClientConfiguration.BuildDefaultConfig(); // merges the KUBECONFIG files
            }

            if (listed.FirstOrDefault(File.Exists) is { } first)
            {
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(first);
            }

            if (listed.Length == 0 && File.Exists(KubernetesClientConfiguration.KubeConfigDefaultLocation))
            {
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(KubernetesClientConfiguration.KubeConfigDefaultLocation);
            }

            if (KubernetesClientConfiguration.IsInCluster())
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }
        }
        catch (Exception e) when (e is KubeConfigException or IOException or FormatException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            throw new KubernetesConfigurationException($"the Kubernetes configuration cannot be used: {e.Message}", e);
        }

        var searched = listed.Length > 0 ? $"KUBECONFIG ({string.Join(", ", listed)}) names no existing file" : $"{KubernetesClientConfiguration.KubeConfigDefaultLocation} does not exist";
        throw new KubernetesConfigurationException(
            $"no Kubernetes configuration found: {searched} and this is not a pod with a service account; set KUBECONFIG to a kubeconfig file or run in the cluster");
    }
}
