using Wavelet.DataPlane.Config;

namespace Wavelet.DataPlane.Web;

/// <summary>CORS from the live config (cors.allowedOrigins; "*" allows any origin). No config → no CORS headers.</summary>
public static class CorsMiddleware
{
    public static void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        var origin = context.Request.Headers.Origin.ToString();
        var allowed = context.RequestServices.GetRequiredService<ConfigHolder>().Current.Cors?.AllowedOrigins ?? [];
        if (origin.Length > 0 && (allowed.Contains("*") || allowed.Contains(origin)))
        {
            context.Response.Headers.AccessControlAllowOrigin = allowed.Contains("*") ? "*" : origin;
            context.Response.Headers.Vary = "Origin";
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                context.Response.Headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
                context.Response.Headers.AccessControlAllowHeaders = "Authorization, Content-Type";
                context.Response.Headers.AccessControlMaxAge = "600";
                context.Response.StatusCode = 204;
                return;
            }
        }

        await next(context);
    });
}
