using Prometheus;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.Observability;
using Wavelet.DataPlane.Operations;

namespace Wavelet.DataPlane.Web;

/// <summary>/healthz and /livez (alive), /readyz (every feed has its snapshot and not draining), /metrics (Prometheus text).</summary>
public static class OperationsRoutes
{
    public static RouteGroupBuilder MapOperationsRoutes(this IEndpointRouteBuilder routes)
    {
        var operations = routes.MapGroup("");
        operations.MapGet("/healthz", () => Results.Json(new { status = "ok" }));
        operations.MapGet("/livez", () => Results.Json(new { status = "ok" }));
        operations.MapGet("/readyz", (HubRegistry hubs, DrainState drain, ConfigStatus status) =>
        {
            var loading = hubs.All.Where(h => !h.Ready).Select(h => h.Name).Order(StringComparer.Ordinal).ToList();
            var ready = !drain.IsDraining && loading.Count == 0;
            return Results.Json(
                new { ready, draining = drain.IsDraining, loading, configError = status.LastError },
                statusCode: ready ? 200 : 503);
        });
        // The scrape-time gauges join the meter before the first scrape.
        routes.ServiceProvider.GetRequiredService<ScrapeTimeGauges>();
        operations.MapMetrics("/metrics", routes.ServiceProvider.GetRequiredService<DataPlaneMetrics>().Exposition.Registry);
        return operations;
    }
}
