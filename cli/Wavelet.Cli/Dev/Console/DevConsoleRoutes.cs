using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Wavelet.Cli.Dev.Console;

/// <summary>
/// Dev-only routes beside the data plane's API (the server listens on 127.0.0.1 only): the console page, the project as
/// the console needs it, and dev tokens for any claims, so the console (and curl) can look through another tenant's eyes.
/// </summary>
public static class DevConsoleRoutes
{
    public const string ConsolePath = "/console";
    public const string ProjectPath = "/dev/project";
    public const string TokenPath = "/dev/token";

    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(DevConsoleRoutes).Assembly.GetManifestResourceStream("Wavelet.Cli.console.html")
            ?? throw new InvalidOperationException("the console page is not embedded in the wavelet assembly");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var routes = app.MapGroup("").AddEndpointFilter(async (context, next) =>
            IsLoopbackHost(context.HttpContext.Request.Host.Host) ? await next(context)
                : Results.Json(new { error = "the dev console answers on 127.0.0.1 or localhost only" }, statusCode: StatusCodes.Status403Forbidden));
        routes.MapGet(ConsolePath, () => Results.Bytes(Page.Value, "text/html; charset=utf-8"));
        routes.MapGet(ProjectPath, (DevConsoleState state) =>
        {
            var config = state.Config;
            return Results.Json(new
            {
                project = config.Project.TrimStart('/'),
                file = state.File,
                auth = new { tokens = state.Auth.Enabled, writes = config.Auth.Writes },
                claims = state.Claims,
                queries = config.Queries.Select(q => new { q.Name, q.FilterBy, q.FilterClaim, columns = q.Columns.Select(c => new { c.Name, c.Type }) }),
                events = config.Events.Select(e => new { e.Name, columns = e.Columns.Select(c => new { c.Name, c.Type }) }),
            });
        });
        routes.MapGet(TokenPath, (HttpRequest request, DevConsoleState state) =>
        {
            if (!state.Auth.Enabled)
            {
                return Results.Json(new { error = "the project has no spec.auth.jwt: clients need no token" }, statusCode: StatusCodes.Status404NotFound);
            }

            // ?claim=value pairs; none: the claims of the token printed at start.
            var claims = request.Query.Count == 0
                ? state.Claims
                : request.Query.Where(q => !StringValues.IsNullOrEmpty(q.Value)).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
            return Results.Text(state.Auth.Mint(claims), "text/plain");
        });
    }

    // A page on another site can point a DNS name at 127.0.0.1 (DNS rebinding); the Host header still names that site.
    private static bool IsLoopbackHost(string host) => host is "127.0.0.1" or "localhost" or "[::1]" or "::1";
}
