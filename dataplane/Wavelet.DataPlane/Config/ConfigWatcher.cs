using System.Threading.Channels;
using Wavelet.DataPlane.Feed;
using Wavelet.DataPlane.Operations;

namespace Wavelet.DataPlane.Config;

/// <summary>
/// Reloads the config file when it changes: on every change notification and on a periodic poll (a safety net for
/// notifications that never come, e.g. on some volume types). Notifications end or fail → the source is restarted after
/// a backoff on the injected clock, never in a tight loop; polling goes on meanwhile.
/// </summary>
public sealed class ConfigWatcher : BackgroundService
{
    private readonly ConfigReloader _reloader;
    private readonly IConfigChangeTriggers _triggers;
    private readonly TimeProvider _clock;
    private readonly DataPlaneOptions _options;
    private readonly ILogger<ConfigWatcher> _logger;
    private int _sourceStarts;
    private int _checks;

    public ConfigWatcher(ConfigReloader reloader, IConfigChangeTriggers triggers, TimeProvider clock, DataPlaneOptions options, ILogger<ConfigWatcher> logger)
    {
        _reloader = reloader;
        _triggers = triggers;
        _clock = clock;
        _options = options;
        _logger = logger;
    }

    /// <summary>How often the change-notification source was (re)started.</summary>
    public int SourceStarts => Volatile.Read(ref _sourceStarts);

    /// <summary>How often the file was checked.</summary>
    public int Checks => Volatile.Read(ref _checks);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // One pending check is enough: notifications arriving during a check coalesce into the next one.
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var interval = _options.ConfigPollInterval > TimeSpan.Zero ? _options.ConfigPollInterval : Timeout.InfiniteTimeSpan;
        wake.Writer.TryWrite(true); // the file may have changed since the host loaded it
        using var poll = _clock.CreateTimer(_ => wake.Writer.TryWrite(true), null, interval, interval);
        var notifications = ForwardNotificationsAsync(wake.Writer, stoppingToken);
        try
        {
            await foreach (var _ in wake.Reader.ReadAllAsync(stoppingToken))
            {
                Interlocked.Increment(ref _checks);
                try
                {
                    await _reloader.ReloadIfChangedAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.ReloadFailed(e, _reloader.Path);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await notifications;
    }

    private async Task ForwardNotificationsAsync(ChannelWriter<bool> wake, CancellationToken ct)
    {
        var backoff = new Backoff(_options.ConfigWatchRetryInitial, _options.ConfigWatchRetryMax);
        while (!ct.IsCancellationRequested)
        {
            if (Interlocked.Increment(ref _sourceStarts) > 1)
            {
                wake.TryWrite(true); // changes made while notifications were down
            }

            try
            {
                await foreach (var notification in _triggers.WatchAsync(_reloader.Path, ct))
                {
                    backoff.Reset();
                    _logger.DirectoryNotification(notification);
                    wake.TryWrite(true);
                }

                _logger.NotificationsEnded(_reloader.Path);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // any failure of the notification source falls back to polling until they restart
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.NotificationsFailed(e, _reloader.Path);
            }

            try
            {
                await Task.Delay(backoff.Next(), _clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
