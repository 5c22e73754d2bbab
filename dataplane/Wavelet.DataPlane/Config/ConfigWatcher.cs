using System.Threading.Channels;
using Wavelet.DataPlane.Operations;
using Wavelet.DataPlane.Resilience;

namespace Wavelet.DataPlane.Config;

/// <summary>
/// Reloads the config file when it changes: on every change notification and on a periodic poll (a safety net for
/// notifications that never come, e.g. on some volume types). Notifications end or fail → the source is restarted after
/// a backoff on the injected clock (<see cref="ReopeningStream"/>), never in a tight loop; polling goes on meanwhile.
/// </summary>
public sealed partial class ConfigWatcher : BackgroundService
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
                    LogReloadFailed(_logger, e, _reloader.Path);
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
        IAsyncEnumerable<string> Open(CancellationToken token)
        {
            if (Interlocked.Increment(ref _sourceStarts) > 1)
            {
                wake.TryWrite(true); // changes made while notifications were down
            }

            return _triggers.WatchAsync(_reloader.Path, token);
        }

        ValueTask OnLost(Exception? error, TimeSpan delay)
        {
            if (error is null)
            {
                LogNotificationsEnded(_logger, _reloader.Path, delay);
            }
            else
            {
                LogNotificationsFailed(_logger, error, _reloader.Path, delay);
            }

            return ValueTask.CompletedTask;
        }

        try
        {
            var notifications = ReopeningStream.FollowAsync(Open, _options.ConfigWatchRetryInitial, _options.ConfigWatchRetryMax, _clock, OnLost, ct);
            await foreach (var notification in notifications.WithCancellation(ct))
            {
                LogNotification(_logger, notification);
                wake.TryWrite(true);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 3300, Level = LogLevel.Error, Message = "Config reload of {Path} failed unexpectedly; the previous config keeps serving")]
    private static partial void LogReloadFailed(ILogger logger, Exception error, string path);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Debug, Message = "Config directory notification: {Notification}")]
    private static partial void LogNotification(ILogger logger, string notification);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "Change notifications for {Path} ended; relying on polling until they restart in {Delay}")]
    private static partial void LogNotificationsEnded(ILogger logger, string path, TimeSpan delay);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Warning, Message = "Change notifications for {Path} failed; relying on polling until they restart in {Delay}")]
    private static partial void LogNotificationsFailed(ILogger logger, Exception error, string path, TimeSpan delay);
}
