using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Operations;
using Wavelet.DataPlane.Web;

namespace Wavelet.DataPlane.Hosting;

/// <summary>
/// The separate management listener: /healthz, /livez, /readyz and /metrics answer only there, everything else only on
/// the client listener, so a Service that exposes the client port does not expose the operations routes.
/// </summary>
public sealed class ManagementListener
{
    private const string ConnectionTag = "wavelet.management";

    private static readonly string[] Paths = ["/healthz", "/livez", "/readyz", "/metrics"];

    private ListenOptions? _listen;

    /// <summary>True when management routes have their own port.</summary>
    public bool Separate => _listen is not null;

    /// <summary>The bound management port (the real one when 0 was asked for), or null when there is no separate listener.</summary>
    public int? Port => (_listen?.EndPoint as IPEndPoint)?.Port;

    /// <summary>The management port from DataPlane:ManagementPort or WAVELET_MANAGEMENT_PORT (the setting wins), or null.</summary>
    public static int? Resolve(DataPlaneOptions options, Func<string, string?> environment)
    {
        if (options.ManagementPort is { } configured)
        {
            return Validate(configured, "DataPlane:ManagementPort");
        }

        if (environment(DataPlaneEnvironment.ManagementPort) is not { Length: > 0 } text)
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? Validate(port, DataPlaneEnvironment.ManagementPort)
            : throw new InvalidConfigException($"{DataPlaneEnvironment.ManagementPort} is '{text}'; it must be a port number (0-65535), 0 to pick a free port, or unset to serve /metrics and /readyz on the client port");
    }

    /// <summary>
    /// Binds the client URLs (--urls / ASPNETCORE_URLS, http only) and the management port on all addresses. Binding in
    /// code is the only way to tell the two listeners apart per connection, so the URLs are parsed here.
    /// </summary>
    public void Configure(KestrelServerOptions kestrel, string? urls, int port)
    {
        foreach (var url in (urls is { Length: > 0 } ? urls : "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var address = BindingAddress.Parse(url);
            if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidConfigException($"client URL '{url}' is not http; with a management port the data plane listens on plain http URLs only (terminate TLS in front of it)");
            }

            if (address.Host is "+" or "*" or "[::]" or "0.0.0.0")
            {
                kestrel.ListenAnyIP(address.Port);
            }
            else if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.ListenLocalhost(address.Port);
            }
            else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
            {
                kestrel.Listen(ip, address.Port);
            }
            else
            {
                throw new InvalidConfigException($"client URL '{url}' has host '{address.Host}'; use an IP address, localhost, + or *");
            }
        }

        kestrel.ListenAnyIP(port, listen =>
        {
            _listen = listen;
            listen.Use(next => connection =>
            {
                connection.Items[ConnectionTag] = true;
                return next(connection);
            });
        });
    }

    /// <summary>Answers 404 for management routes on the client port and for everything else on the management port.</summary>
    public static void Use(WebApplication app)
    {
        var listener = app.Services.GetRequiredService<ManagementListener>();
        if (!listener.Separate)
        {
            return;
        }

        app.Use(async (context, next) =>
        {
            var onManagement = context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ConnectionTag) == true;
            var managementPath = Paths.Contains(context.Request.Path.Value, StringComparer.Ordinal);
            if (onManagement != managementPath)
            {
                await ApiErrors.NotFound().ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }

    private static int Validate(int port, string source) => port is >= 0 and <= 65535
        ? port
        : throw new InvalidConfigException($"{source} is {port}; it must be a port number (0-65535), 0 to pick a free port, or unset to serve /metrics and /readyz on the client port");
}
