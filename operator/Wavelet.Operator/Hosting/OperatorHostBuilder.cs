using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wavelet.Operator.Controller;
using k8s;
using Wavelet.Operator.Kubernetes;
using Wavelet.Operator.Kubernetes.Events;
using Wavelet.Operator.Kubernetes.Watch;
using Wavelet.DataPlane.Observability;
using Wavelet.Operator.Observability;
using Wavelet.Operator.Reconciliation;

namespace Wavelet.Operator.Hosting;

/// <summary>Builds the operator's web host: options, logging, Kubernetes client, controller, health and metrics ports.</summary>
public static class OperatorHostBuilder
{
    /// <summary>Builds the host from command-line flags (see <see cref="OperatorCommandLine"/>); bad flags throw <see cref="ArgumentException"/>.</summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null) =>
        Build(OperatorCommandLine.Parse(args), configureServices);

    /// <summary>Builds the host from the configuration keys the flags set.</summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string?> flags, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(flags);
        builder.Configuration.AddInMemoryCollection(GoDurations.Normalize(builder.Configuration, GoDurations.OperatorKeys));
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });

        var settings = builder.Configuration.GetSection(OperatorOptions.SectionName).Get<OperatorOptions>() ?? new OperatorOptions();
        var validation = new OperatorOptionsValidator().Validate(null, settings);
        if (validation.Failed)
        {
            throw new OptionsValidationException(OperatorOptions.SectionName, typeof(OperatorOptions), validation.Failures);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Any, settings.HealthPort);
            if (settings.MetricsPort != settings.HealthPort || settings.MetricsPort == 0)
            {
                kestrel.Listen(IPAddress.Any, settings.MetricsPort);
            }
        });

        var services = builder.Services;
        services.AddOptions<OperatorOptions>().Bind(builder.Configuration.GetSection(OperatorOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidator>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        services.AddKubernetesClient();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OperatorMetrics>();
        services.AddOtlpMetrics(builder.Configuration, OperatorMetrics.MeterName, "wavelet-operator");
        services.AddSingleton<OperatorReadiness>();
        services.TryAddSingleton<IDdlSessionFactory, DdlSessionFactory>();
        services.AddSingleton(provider => new EventRecorder(
            provider.GetRequiredService<IKubernetes>(), "wavelet-operator",
            provider.GetRequiredService<IOptions<OperatorOptions>>().Value.Identity ?? Environment.MachineName,
            provider.GetService<ILogger<EventRecorder>>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IProjectEvents, ProjectEvents>();
        services.AddSingleton<InformerCache>();
        services.AddSingleton<ProjectReconciler>();
        services.AddSingleton<ProjectController>();
        services.AddHostedService<OperatorHostedService>();
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.MapOperatorEndpoints();
        return app;
    }
}
