using Wavelet.DataPlane.Egress;

namespace Wavelet.DataPlane.Webhooks;

public static class WebhookServices
{
    /// <summary>The dispatcher, its options (section DataPlane:Webhooks) and the HTTP client it posts with.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration, Func<string, string?> environment, EgressOptions egress)
    {
        var options = configuration.GetSection(WebhookOptions.Section).Get<WebhookOptions>() ?? new WebhookOptions();
        options.Validate();
        services.AddSingleton(options);

        // The sender applies its own per-attempt timeout; a redirect must not turn the signed POST into a GET elsewhere,
        // and the egress rules decide which addresses a project's webhook URL may reach.
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => EgressGuard.CreateHandler(egress));
        services.AddSingleton(provider => new WebhookDispatcher(provider.GetRequiredService<IHttpClientFactory>(), options,
            provider.GetRequiredService<Observability.DataPlaneMetrics>(), provider.GetRequiredService<TimeProvider>(), environment,
            provider.GetRequiredService<ILogger<WebhookDispatcher>>()));
        return services;
    }
}
