using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Wavelet.Operator.Observability;

namespace Wavelet.Operator.Hosting;

/// <summary>/healthz, /readyz and /metrics. Served on both the health and the metrics port (both are loopback-safe, read-only).</summary>
public static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        endpoints.MapGet("/readyz", (OperatorReadiness readiness) => readiness.IsReady
            ? Results.Text("ok\n")
            : Results.Text($"not ready: {readiness.NotReadyReason}\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<OperatorMetrics>().Exposition.Registry);
        return endpoints;
    }
}
