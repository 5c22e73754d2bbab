using Microsoft.AspNetCore.Http.HttpResults;
using Wavelet.Api.DataPlane;

namespace Wavelet.DataPlane.Web;

/// <summary>
/// Errors as RFC 7807 problem details (<c>application/problem+json</c>) that keep upstream's fields as extension
/// members: <c>error</c> (the message, also the problem's <c>detail</c>), and <c>available_queries</c>,
/// <c>available_events</c> or <c>routes</c> where upstream sends them. Upstream's clients read only those.
/// </summary>
public static class ApiErrors
{
    public static readonly string[] Routes =
    [
        "GET /v1/health", "GET /v1/queries", "GET /v1/queries/{name}", "GET /v1/events",
        "POST /v1/events/{name}", "POST /v1/events/{name}/batch", "WS /subscribe/{name}",
    ];

    public const string RequestIdHeader = "X-Request-Id";

    public static IResult Error(int status, string message) => Problem(status, message);

    /// <summary>A server-side failure: a generic message and the request id the log line carries, never the cause's text.</summary>
    public static IResult Internal(HttpContext context, int status, string what)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers[RequestIdHeader] = context.TraceIdentifier;
        return Error(status, $"{what}; the server log has the details under request id {context.TraceIdentifier}");
    }

    public static IResult UnknownQuery(string name, DataPlaneConfig config) =>
        Problem(StatusCodes.Status404NotFound, $"query '{name}' not found", ("available_queries", config.Queries.Select(q => q.Name).ToArray()));

    public static IResult UnknownEvent(string name, DataPlaneConfig config) =>
        Problem(StatusCodes.Status404NotFound, $"event '{name}' not found", ("available_events", config.Events.Select(e => e.Name).ToArray()));

    public static IResult NotFound() => Problem(StatusCodes.Status404NotFound, "not found", ("routes", Routes));

    private static ProblemHttpResult Problem(int status, string message, (string Name, string[] Values)? list = null)
    {
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["error"] = message };
        if (list is { } more)
        {
            extensions[more.Name] = more.Values;
        }

        return TypedResults.Problem(detail: message, statusCode: status, extensions: extensions);
    }
}
