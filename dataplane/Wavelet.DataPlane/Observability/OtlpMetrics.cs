using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Wavelet.DataPlane.Observability;

/// <summary>
/// Optional OTLP export of the same meter /metrics serves, on only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the
/// operator compiles this same file). Everything else follows the OpenTelemetry SDK's standard variables, read from
/// configuration: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (grpc by default, or http/protobuf), <c>OTEL_EXPORTER_OTLP_HEADERS</c>,
/// <c>OTEL_METRIC_EXPORT_INTERVAL</c>, <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>.
/// </summary>
internal static class OtlpMetrics
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddOtlpMetrics(this IServiceCollection services, IConfiguration configuration, string meterName, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(configuration[EndpointKey]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics.AddMeter(meterName).AddOtlpExporter());
        return services;
    }
}
