using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Hosting;
using Wavelet.DataPlane.Web;

namespace Wavelet.DataPlane.Mcp;

/// <summary>
/// MCP (Streamable HTTP) at /mcp. Every HTTP request first passes a gate: 404 unless the project enables MCP, then the
/// same JWT check as the HTTP API (401 otherwise); the verified caller travels to the handlers as the request's user.
/// </summary>
public static class McpEndpoint
{
    public const string Path = "/mcp";

    public static void AddWaveletMcp(this IServiceCollection services)
    {
        services.AddSetting<McpOptions, McpOptionsValidator>(McpOptions.Section);
        services.AddSingleton<McpMetrics>();
        services.AddSingleton<McpSubscriptions>();
        services.AddHostedService(provider => provider.GetRequiredService<McpSubscriptions>());
        services.AddSingleton<McpTools>();
        services.AddSingleton<McpResources>();
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "wavelet-data-plane", Version = typeof(McpEndpoint).Assembly.GetName().Version?.ToString() ?? "0" };
                options.Capabilities = new ServerCapabilities
                {
                    Tools = new ToolsCapability(),
                    Resources = new ResourcesCapability { Subscribe = true },
                };
                options.ServerInstructions = "Live results of this project's queries, filtered to what your token may see. "
                    + "list_queries and describe_tables show what exists; read_query returns current rows; emit_event/emit_batch write events; "
                    + "subscribe to a query's resource to be told when its rows change.";
            })
            .WithHttpTransport(transport =>
            {
                // Resource subscriptions need a session to send updates on; clients of the session-less protocol
                // revision are told to fall back to the initialize handshake.
                transport.SessionMode = HttpServerSessionMode.Stateful;
            })
            .WithListToolsHandler((context, ct) => context.Services!.GetRequiredService<McpTools>().ListAsync(context, ct))
            .WithCallToolHandler((context, ct) => context.Services!.GetRequiredService<McpTools>().CallAsync(context, ct))
            .WithListResourcesHandler((context, ct) => context.Services!.GetRequiredService<McpResources>().ListAsync(context, ct))
            .WithReadResourceHandler((context, ct) => context.Services!.GetRequiredService<McpResources>().ReadAsync(context, ct))
            .WithSubscribeToResourcesHandler((context, ct) => context.Services!.GetRequiredService<McpResources>().SubscribeAsync(context, ct))
            .WithUnsubscribeFromResourcesHandler((context, ct) => context.Services!.GetRequiredService<McpResources>().UnsubscribeAsync(context, ct));
    }

    public static void Map(WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use(GateAsync));
        app.MapMcp(Path);
    }

    private static async Task GateAsync(HttpContext context, Func<Task> next)
    {
        var config = context.RequestServices.GetRequiredService<ConfigHolder>().Current;
        var metrics = context.RequestServices.GetRequiredService<McpMetrics>();
        if (config.Mcp is not { Enabled: true })
        {
            metrics.Refuse("disabled");
            await ApiErrors.Error(404, "MCP is not enabled for this project: set spec.dataPlane.mcp.enabled: true").ExecuteAsync(context);
            return;
        }

        var auth = await RequestAuth.AuthenticateAsync(context, config, required: true);
        if (auth.Caller is not { } caller)
        {
            metrics.Refuse("unauthorized");
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await ApiErrors.Error(401, auth.Error!).ExecuteAsync(context);
            return;
        }

        context.User = McpCallers.ToPrincipal(caller);
        await next();
    }
}
