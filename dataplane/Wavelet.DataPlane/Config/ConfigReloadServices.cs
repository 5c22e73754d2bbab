using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Wavelet.DataPlane.Config;

public static class ConfigReloadServices
{
    /// <summary>Live reload of <paramref name="file"/>; register after the feeds' hosted service so the initial config is applied first.</summary>
    public static IServiceCollection AddConfigReload(this IServiceCollection services, ConfigFile file)
    {
        services.AddSingleton(file);
        services.TryAddSingleton<IConfigChangeTriggers, DirectoryChangeTriggers>();
        services.AddSingleton<ConfigReloader>();
        services.AddSingleton<ConfigWatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<ConfigWatcher>());
        return services;
    }
}
