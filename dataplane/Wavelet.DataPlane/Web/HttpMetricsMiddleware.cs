using System.Diagnostics;
using Wavelet.DataPlane.Observability;

namespace Wavelet.DataPlane.Web;

/// <summary>Counts HTTP requests by route pattern and status and records their latency.</summary>
public static class HttpMetricsMiddleware
{
    public static void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            if (!route.StartsWith("/subscribe", StringComparison.Ordinal))
            {
                var metrics = context.RequestServices.GetRequiredService<DataPlaneMetrics>();
                var routeTag = new KeyValuePair<string, object?>("route", route);
                metrics.HttpRequests.Add(1, routeTag, new KeyValuePair<string, object?>("status", context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                metrics.HttpDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, routeTag);
            }
        }
    });
}
