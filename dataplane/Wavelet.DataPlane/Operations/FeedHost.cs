using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.Feed;

namespace Wavelet.DataPlane.Operations;

/// <summary>
/// Starts the feeds with the host; on stop drains before the web server stops: readiness fails, new sockets are
/// refused, after <see cref="DataPlaneOptions.DrainDelay"/> every socket is closed with 1001 and a reconnect reason.
/// </summary>
public sealed class FeedHost : IHostedLifecycleService
{
    public const string DrainReason = "server shutting down: reconnect with your last cursor";

    private readonly FeedSupervisor _supervisor;
    private readonly ConfigHolder _config;
    private readonly DrainState _drain;
    private readonly HubRegistry _hubs;
    private readonly DataPlaneOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<FeedHost> _logger;

    public FeedHost(FeedSupervisor supervisor, ConfigHolder config, DrainState drain, HubRegistry hubs, DataPlaneOptions options, TimeProvider clock, ILogger<FeedHost> logger)
    {
        _supervisor = supervisor;
        _config = config;
        _drain = drain;
        _hubs = hubs;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _supervisor.Apply(_config.Current);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (!_drain.Begin())
        {
            return;
        }

        _logger.Draining(_hubs.SubscriberCount, _options.DrainDelay);
        try
        {
            await Task.Delay(_options.DrainDelay, _clock, cancellationToken); // lets the load balancer see readiness fail first
        }
        catch (OperationCanceledException)
        {
        }

        _hubs.CloseAll(Fanout.CloseCodes.ShuttingDown, DrainReason);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken) => await _supervisor.DisposeAsync();
}
