using System.Text;
using Wavelet.DataPlane.Auth;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Web;

/// <summary>Read routes, all served from memory: no database statement per request.</summary>
public static class ReadRoutes
{
    public static RouteGroupBuilder MapReadRoutes(this IEndpointRouteBuilder routes)
    {
        var v1 = routes.MapGroup("/v1");
        v1.MapGet("/health", () => Results.Json(new { status = "ok" }));
        v1.MapGet("/queries", (ConfigHolder config) => Results.Json(new { queries = config.Current.Queries.Select(q => q.Name) }));
        v1.MapGet("/events", (ConfigHolder config) => Results.Json(new { events = config.Current.Events.Select(e => e.Name) }));
        v1.MapGet("/queries/{name}", ReadQueryAsync);
        return v1;
    }

    private static async Task<IResult> ReadQueryAsync(string name, HttpContext context, ConfigHolder holder)
    {
        var live = holder.Live;
        var config = live.Config;
        var query = config.Queries.FirstOrDefault(q => q.Name == name);
        var hub = live.Hub(name);
        if (query is null || hub is null)
        {
            return ApiErrors.UnknownQuery(name, config);
        }

        var auth = await RequestAuth.AuthenticateAsync(context, config, required: true);
        if (auth.Caller is not { } caller)
        {
            return ApiErrors.Error(401, auth.Error!);
        }

        if (ClaimAccess.Refusal(query, config.Auth.Jwt, caller) is { } refusal)
        {
            return ApiErrors.Error(403, refusal);
        }

        if (!hub.Ready)
        {
            return ApiErrors.Error(503, $"query '{name}' is still loading its first snapshot; retry shortly");
        }

        var known = query.Columns.Count > 0 ? query.Columns.Select(c => c.Name).ToList() : [.. hub.Columns];
        var filters = new List<(string Column, string Value)>();
        foreach (var (key, values) in context.Request.Query)
        {
            if (key == "token")
            {
                continue;
            }

            if (!known.Contains(key))
            {
                return ApiErrors.Error(400, $"unknown column '{key}' for query '{name}'; columns are: {string.Join(", ", known)}");
            }

            filters.Add((key, values.ToString()));
        }

        var rows = hub.Rows(caller.PartitionsFor(query.FilterClaim))
            .Where(row => filters.All(f => Row.KeyOf(row[f.Column]) == f.Value));
        var body = new StringBuilder("{\"query\":");
        body.Append(System.Text.Json.JsonSerializer.Serialize(name)).Append(",\"rows\":[");
        var first = true;
        foreach (var row in rows)
        {
            body.Append(first ? "" : ",").Append(Encoding.UTF8.GetString(row.Json));
            first = false;
        }

        body.Append("]}");
        return Results.Text(body.ToString(), "application/json", Encoding.UTF8);
    }
}
