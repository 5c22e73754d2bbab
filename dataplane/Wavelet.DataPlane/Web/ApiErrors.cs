using Wavelet.Api.DataPlane;

namespace Wavelet.DataPlane.Web;

/// <summary>Upstream's error body: {error, available_queries?, available_events?, routes?}.</summary>
public static class ApiErrors
{
    public static readonly string[] Routes =
    [
        "GET /v1/health", "GET /v1/queries", "GET /v1/queries/{name}", "GET /v1/events",
        "POST /v1/events/{name}", "POST /v1/events/{name}/batch", "WS /subscribe/{name}",
    ];

    public static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>A server-side failure: a generic message and the request id the log line carries, never the cause's text.</summary>
    public static IResult Internal(HttpContext context, int status, string what)
    {
        context.Response.Headers[RequestIdHeader] = context.TraceIdentifier;
        return Error(status, $"{what}; the server log has the details under request id {context.TraceIdentifier}");
    }

    public static IResult UnknownQuery(string name, DataPlaneConfig config) =>
        Results.Json(new { error = $"query '{name}' not found", available_queries = config.Queries.Select(q => q.Name) }, statusCode: 404);

    public static IResult UnknownEvent(string name, DataPlaneConfig config) =>
        Results.Json(new { error = $"event '{name}' not found", available_events = config.Events.Select(e => e.Name) }, statusCode: 404);

    public static IResult NotFound() => Results.Json(new { error = "not found", routes = Routes }, statusCode: 404);
}
