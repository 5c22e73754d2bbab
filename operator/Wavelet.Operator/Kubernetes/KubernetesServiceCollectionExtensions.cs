using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Wavelet.Operator.Kubernetes;

public static class KubernetesServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="KubernetesClientConfiguration"/> (from <paramref name="configuration"/>, or
    /// <see cref="KubernetesConfiguration.Load"/>: KUBECONFIG, ~/.kube/config, then in-cluster) and one shared client as
    /// <see cref="IKubernetes"/>. A configuration registered before this call wins.
    /// </summary>
    public static IServiceCollection AddKubernetesClient(this IServiceCollection services, Func<KubernetesClientConfiguration>? configuration = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => (configuration ?? KubernetesConfiguration.Load)());
        services.TryAddSingleton<IKubernetes>(provider => KubernetesClients.Create(provider.GetRequiredService<KubernetesClientConfiguration>()));
        return services;
    }
}
