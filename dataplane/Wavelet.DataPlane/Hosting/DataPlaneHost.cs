using Microsoft.Extensions.DependencyInjection.Extensions;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Auth;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Egress;
using Wavelet.DataPlane.Events;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.Limits;
using Wavelet.DataPlane.Feed;
using Wavelet.DataPlane.Mcp;
using Wavelet.DataPlane.Observability;
using Wavelet.DataPlane.Operations;
using Wavelet.DataPlane.Web;
using Wavelet.DataPlane.Webhooks;

namespace Wavelet.DataPlane.Hosting;

/// <summary>Builds the data-plane web host from a config file: feeds, state, fan-out, WebSocket and HTTP routes, drain.</summary>
public static class DataPlaneHost
{
    public const string ConfigVariable = "WAVELET_CONFIG";

    /// <summary>The variable the operator sets on data-plane pods (the mounted ConfigMap's file).</summary>
    public const string OperatorConfigVariable = "WAVELET_CONFIG_PATH";

    /// <summary>The config file path from <c>--config &lt;file&gt;</c> or WAVELET_CONFIG / WAVELET_CONFIG_PATH; null when neither is given.</summary>
    public static string? ConfigPath(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == "--config")
            {
                return args[i + 1];
            }
        }

        return Environment.GetEnvironmentVariable(ConfigVariable) is { Length: > 0 } path ? path
            : Environment.GetEnvironmentVariable(OperatorConfigVariable) is { Length: > 0 } mounted ? mounted : null;
    }

    /// <summary>Arguments other than --config, passed on to ASP.NET Core (e.g. --urls).</summary>
    public static string[] RemainingArgs(IReadOnlyList<string> args)
    {
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--config")
            {
                i++;
                continue;
            }

            rest.Add(args[i]);
        }

        return [.. rest];
    }

    /// <summary>Builds the host; with <paramref name="file"/> (the file <paramref name="config"/> was read from) it live-reloads that file.</summary>
    public static WebApplication Build(DataPlaneConfig config, string[] args, Func<string, string?>? environment = null, Action<IServiceCollection>? configureServices = null, ConfigFile? file = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var databaseUrl = environment(config.Database.UrlEnv) is { Length: > 0 } url
            ? url
            : throw new InvalidConfigException($"environment variable {config.Database.UrlEnv} (database.urlEnv) is not set; it must hold the postgres:// URL of RisingWave");
        var connectionString = PostgresUrl.ToConnectionString(databaseUrl);
        WebhookSecrets.RequireAll(config, environment);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = true; // feed lines carry "=> query <name>" from the feed's scope
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Hosting logs only request start/finish (Information, filtered anyway), but while its logger is enabled at all it
        // starts an Activity and a log scope per request, which an upgraded WebSocket keeps for its whole life (~1 KB
        // per idle connection) and every POST pays for.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        var services = builder.Services;
        services.AddSetting<DataPlaneOptions, DataPlaneOptionsValidator>(DataPlaneOptions.Section);
        services.AddSetting<EgressOptions, EgressOptionsValidator>(EgressOptions.Section);
        services.AddSetting<FeedOptions, FeedOptionsValidator>(FeedOptions.Section);
        services.Configure<FeedOptions>(o => o.ConnectionString = connectionString);

        // The listeners are chosen before the host exists, so the process settings are read once ahead of the options
        // (validated with them right after Build).
        var early = DataPlaneSettings.Read<DataPlaneOptions>(builder.Configuration, DataPlaneOptions.Section);
        var management = new ManagementListener();
        services.AddSingleton(management);
        var managementPort = ManagementListener.Resolve(early, environment);
        var clientUrls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        if (managementPort is not null)
        {
            // Endpoints are bound in code; clearing the URL settings keeps Kestrel from warning that it overrides them.
            builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.Empty);
            builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, string.Empty);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = config.Limits.MaxRequestBodyBytes;
            if (managementPort is { } port)
            {
                management.Configure(k, clientUrls, port);
            }
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new ConfigHolder(config));
        services.AddSingleton<ConfigStatus>();
        services.AddSingleton<DrainState>();
        services.AddSingleton<ConnectionLimits>();
        services.AddWriteRateLimits();
        services.AddSingleton<HubRegistry>();
        services.AddSingleton<DataPlaneMetrics>();
        services.AddSingleton<ScrapeTimeGauges>();
        services.AddOtlpMetrics(builder.Configuration, DataPlaneMetrics.MeterName, "wavelet-dataplane");
        services.TryAddSingleton<IChangeSource, NpgsqlChangeSource>();
        services.AddSingleton<FeedSupervisor>();
        services.AddWebhooks(environment);
        services.TryAddSingleton<IEventWriter>(_ => new GroupCommitEventWriter(new NpgsqlEventWriter(connectionString)));
        services.AddWaveletJwt(environment);
        services.AddProblemDetails();
        services.AddHostedService<FeedHost>();
        services.AddWaveletMcp();
        if (file is not null)
        {
            services.AddConfigReload(file);
        }

        services.Configure<HostOptions>(o => o.ShutdownTimeout = early.DrainDelay + TimeSpan.FromSeconds(20));
        configureServices?.Invoke(services);

        var app = builder.Build();
        try
        {
            DataPlaneSettings.Validate(app.Services);
        }
        catch (InvalidConfigException)
        {
            ((IDisposable)app).Dispose();
            throw;
        }

        var options = app.Services.GetRequiredService<DataPlaneOptions>();
        ManagementListener.Use(app);
        FramedUpgrade.Use(app); // before UseWebSockets, which takes the upgrade feature it finds
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = options.KeepAliveInterval });
        CorsMiddleware.Use(app);
        HttpMetricsMiddleware.Use(app);
        app.UseRateLimiter();
        app.MapOperationsRoutes();
        app.MapReadRoutes();
        app.MapWriteRoutes();
        app.MapSubscribeEndpoint();
        McpEndpoint.Map(app);
        app.MapFallback(() => ApiErrors.NotFound());
        return app;
    }
}
