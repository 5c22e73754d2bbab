using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Wavelet.Operator.Kubernetes;

public static class KubernetesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KubernetesClientConfiguration"/> (from <paramref name="configuration"/>, or
    /// <see cref="KubernetesClientConfiguration.BuildDefaultConfig"/> when null) and one shared <see cref="Kubernetes"/>
    /// as <see cref="IKubernetes"/>, using the registered <see cref="TimeProvider"/> (the system clock if none).
    /// </summary>
    public static IServiceCollection AddKubernetesClient(this IServiceCollection services, Func<KubernetesClientConfiguration>? configuration = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => (configuration ?? KubernetesClientConfiguration.BuildDefaultConfig)());
        services.TryAddSingleton(provider => new Kubernetes(
            provider.GetRequiredService<KubernetesClientConfiguration>(),
            provider.GetService<ILogger<Kubernetes>>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IKubernetes>(provider => provider.GetRequiredService<Kubernetes>());
        return services;
    }
}
