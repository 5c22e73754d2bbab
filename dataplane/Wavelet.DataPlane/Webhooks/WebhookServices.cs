using Wavelet.DataPlane.Egress;
using Wavelet.DataPlane.Hosting;

namespace Wavelet.DataPlane.Webhooks;

public static class WebhookServices
{
    /// <summary>The dispatcher, its options (section DataPlane:Webhooks) and the HTTP client it posts with.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, Func<string, string?> environment)
    {
        services.AddSetting<WebhookOptions, WebhookOptionsValidator>(WebhookOptions.Section);

        // The sender applies its own per-attempt timeout; a redirect must not turn the signed POST into a GET elsewhere,
        // and the egress rules decide which addresses a project's webhook URL may reach.
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => EgressGuard.CreateHandler(provider.GetRequiredService<EgressOptions>()));
        services.AddSingleton(provider => new WebhookDispatcher(provider.GetRequiredService<IHttpClientFactory>(), provider.GetRequiredService<WebhookOptions>(),
            provider.GetRequiredService<Observability.DataPlaneMetrics>(), provider.GetRequiredService<TimeProvider>(), environment,
            provider.GetRequiredService<ILogger<WebhookDispatcher>>()));
        return services;
    }
}
