using Wavelet.Testing.Kubernetes.Discovery;
using Wavelet.Testing.Kubernetes.OpenApi;

namespace Wavelet.Testing.Kubernetes.Http;

/// <summary>Sends each path to what answers it: health, version, discovery, OpenAPI, or a resource.</summary>
internal sealed class ApiRouter(DiscoveryDocuments discovery, OpenApiDocuments openApi, ResourceEndpoint resources)
{
    public async Task RouteAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "/").TrimEnd('/');
        var accept = context.Request.Headers.Accept.ToString();
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (context.Request.Method == "GET" && await TryNonResourceAsync(context, path, segments, accept))
        {
            return;
        }

        var resourcePath = FakeApiPath.Parse(path) ?? throw new FakeApiError(404, "NotFound", "the server could not find the requested resource");
        await resources.HandleAsync(context, resourcePath);
    }

    private async Task<bool> TryNonResourceAsync(HttpContext context, string path, string[] segments, string accept)
    {
        switch (path)
        {
            case "/healthz" or "/readyz" or "/livez":
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok");
                return true;
            case "/version":
                await Responses.WriteJsonAsync(context, 200, DiscoveryDocuments.Version());
                return true;
            case "/api":
                await WriteDiscoveryAsync(context, accept, core: true);
                return true;
            case "/apis":
                await WriteDiscoveryAsync(context, accept, core: false);
                return true;
            case "/openapi/v2":
                if (!MediaTypes.AcceptsJson(accept))
                {
                    // Only the protobuf form was asked for, which the fake does not encode; client-go then carries on without v2.
                    throw new FakeApiError(406, "NotAcceptable", "only application/json is available for /openapi/v2");
                }

                await Responses.WriteJsonAsync(context, 200, openApi.V2());
                return true;
            case "/openapi/v3":
                await Responses.WriteJsonAsync(context, 200, openApi.V3Index());
                return true;
        }

        if (segments is ["openapi", "v3", "api", _] or ["openapi", "v3", "apis", _, _])
        {
            var document = segments[2] == "api" ? openApi.V3("", segments[3]) : openApi.V3(segments[3], segments[4]);
            if (document is null)
            {
                throw new FakeApiError(404, "NotFound", $"no OpenAPI document for {string.Join('/', segments[2..])}");
            }

            context.Response.Headers.ETag = $"\"{OpenApiDocuments.Hash(document)}\"";
            await Responses.WriteJsonAsync(context, 200, document);
            return true;
        }

        if (segments is ["api", var version])
        {
            await Responses.WriteJsonAsync(context, 200, discovery.Resources("", version) ?? throw NotFound());
            return true;
        }

        if (segments is ["apis", var group])
        {
            await Responses.WriteJsonAsync(context, 200, discovery.Group(group) ?? throw NotFound());
            return true;
        }

        if (segments is ["apis", var g, var v])
        {
            await Responses.WriteJsonAsync(context, 200, discovery.Resources(g, v) ?? throw NotFound());
            return true;
        }

        return false;
    }

    private async Task WriteDiscoveryAsync(HttpContext context, string accept, bool core)
    {
        if (MediaTypes.WantsAggregatedDiscovery(accept))
        {
            await Responses.WriteJsonAsync(context, 200, discovery.Aggregated(core), contentType: DiscoveryDocuments.AggregatedContentType);
            return;
        }

        var address = $"{context.Connection.LocalIpAddress}:{context.Connection.LocalPort}";
        await Responses.WriteJsonAsync(context, 200, core ? discovery.CoreVersions(address) : discovery.Groups());
    }

    private static FakeApiError NotFound() => new(404, "NotFound", "the server could not find the requested resource");
}
