using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wavelet.Cli.Dev.Console;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Hosting;

namespace Wavelet.Cli.Dev;

/// <summary>
/// The data plane, hosted in this process exactly as it runs in a pod: it reads a config file and live-reloads it.
/// `wavelet dev` writes each new config atomically (write, then rename) and asks the reloader to apply it at once, so a
/// change is applied, or rejected, before dev reports it. Clients of unchanged queries stay connected.
/// </summary>
public sealed class DevDataPlane : IAsyncDisposable
{
    private static readonly JsonSerializerOptions ConfigJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly WebApplication _app;
    private readonly string _configPath;

    private DevDataPlane(WebApplication app, string configPath, Uri address)
    {
        _app = app;
        _configPath = configPath;
        Address = address;
    }

    /// <summary>http://127.0.0.1:port, the port the server actually bound.</summary>
    public Uri Address { get; }

    public static async Task<DevDataPlane> StartAsync(DataPlaneConfig config, string workDirectory, int port, Func<string, string?> environment, DevConsoleState console, CancellationToken ct)
    {
        var path = Path.Combine(workDirectory, DataPlaneConfig.FileName);
        await WriteAsync(path, config, ct);
        var (loaded, file) = await ConfigLoader.ReadFileAsync(path, ct);
        string[] args =
        [
            "--urls", $"http://127.0.0.1:{port}",
            // Nothing stands in front of a laptop's data plane: close sockets at once on Ctrl-C instead of waiting for a load balancer.
            "--DataPlane:DrainDelay=00:00:00",
            "--DataPlane:ConfigPollInterval=00:00:02",
            // Local webhook receivers and token issuers run on this machine or the local network.
            "--DataPlane:Egress:AllowLoopback=true",
            "--DataPlane:Egress:AllowPrivateNetworks=true",
        ];
        var app = DataPlaneHost.Build(loaded, args, environment, services =>
        {
            // wavelet dev owns Ctrl-C and SIGTERM: it stops the data plane, then the database.
            services.AddSingleton<IHostLifetime, DevHostLifetime>();
            services.AddSingleton(console);
        }, file);
        DevConsoleRoutes.Map(app);
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            await app.DisposeAsync();
            throw new CliException($"port {port} is already in use: stop what listens there or choose another with --port", e, ExitCodes.Usage);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? $"http://127.0.0.1:{port}";
        return new DevDataPlane(app, path, new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>Writes the config and applies it now; a rejected config leaves the previous one serving.</summary>
    public async Task<ReloadOutcome> ApplyAsync(DataPlaneConfig config, CancellationToken ct)
    {
        await WriteAsync(_configPath, config, ct);
        return await _app.Services.GetRequiredService<ConfigReloader>().ReloadIfChangedAsync(ct);
    }

    /// <summary>The reason the last config was rejected, if it was.</summary>
    public string? LastConfigError => _app.Services.GetRequiredService<Wavelet.DataPlane.Operations.ConfigStatus>().LastError;

    private static async Task WriteAsync(string path, DataPlaneConfig config, CancellationToken ct)
    {
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(config, ConfigJson), ct);
        File.Move(temporary, path, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>A host lifetime that registers no signal handlers: the wavelet command owns Ctrl-C and SIGTERM.</summary>
    private sealed class DevHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
