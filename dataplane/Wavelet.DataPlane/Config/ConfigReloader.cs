using System.Text;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.Feed;
using Wavelet.DataPlane.Observability;
using Wavelet.DataPlane.Operations;

namespace Wavelet.DataPlane.Config;

/// <summary>
/// Re-reads the config file and, when its content changed, validates it and makes it the running config: feeds are
/// started, stopped or restarted by <see cref="FeedSupervisor.Apply"/>, clients whose access rules changed are asked to
/// reconnect. An invalid file leaves the running config untouched and is reported in <see cref="ConfigStatus"/>.
/// </summary>
public sealed class ConfigReloader : IDisposable
{
    private const string Unreadable = "unreadable:";
    private readonly ConfigFile _file;
    private readonly ConfigHolder _holder;
    private readonly FeedSupervisor _supervisor;
    private readonly HubRegistry _hubs;
    private readonly ConfigStatus _status;
    private readonly DataPlaneMetrics _metrics;
    private readonly ILogger<ConfigReloader> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    // Checksum of the content last seen, applied or rejected: a rejected file is reported once, not on every poll.
    private string _lastSeen;

    public ConfigReloader(ConfigFile file, ConfigHolder holder, FeedSupervisor supervisor, HubRegistry hubs, ConfigStatus status, DataPlaneMetrics metrics, ILogger<ConfigReloader> logger)
    {
        _file = file;
        _holder = holder;
        _supervisor = supervisor;
        _hubs = hubs;
        _status = status;
        _metrics = metrics;
        _logger = logger;
        _lastSeen = file.Checksum;
    }

    public string Path => _file.Path;

    public void Dispose() => _gate.Dispose();

    public async Task<ReloadOutcome> ReloadIfChangedAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            byte[] bytes;
            try
            {
                bytes = await ConfigLoader.ReadBytesAsync(_file.Path, ct);
            }
            catch (InvalidConfigException e)
            {
                return Seen(Unreadable + e.Message) ? ReloadOutcome.Unchanged : Fail(e.Message);
            }

            if (Seen(ConfigFile.ChecksumOf(bytes)))
            {
                return ReloadOutcome.Unchanged;
            }

            DataPlaneConfig next;
            var running = _holder.Current;
            try
            {
                next = ConfigLoader.Parse(Encoding.UTF8.GetString(bytes), _file.Path);
                RequireSameDatabaseUrl(running, next);
            }
            catch (InvalidConfigException e)
            {
                return Fail(e.Message);
            }

            Apply(running, next);
            return ReloadOutcome.Applied;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>True when <paramref name="key"/> is what was seen last; otherwise remembers it.</summary>
    private bool Seen(string key)
    {
        if (key == _lastSeen)
        {
            return true;
        }

        _lastSeen = key;
        return false;
    }

    private void Apply(DataPlaneConfig running, DataPlaneConfig next)
    {
        // Publishes the config and its hubs in one step.
        _supervisor.Apply(next);
        if (AccessChanges.AuthChanged(running, next))
        {
            _logger.ReloadChangedAuth(_hubs.SubscriberCount);
            _hubs.CloseAll(CloseCodes.ConfigChanged, AccessChanges.Reason);
        }
        else
        {
            foreach (var query in AccessChanges.FilterChanged(running, next))
            {
                _logger.ReloadChangedFilter(query);
                _hubs.Find(query)?.CloseAll(CloseCodes.ConfigChanged, AccessChanges.Reason);
            }
        }

        _status.LastError = null;
        _metrics.ConfigReloads.Add(1, new KeyValuePair<string, object?>("result", "ok"));
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var before = running.Queries.Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
            var after = next.Queries.Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
            _logger.Reloaded(_file.Path, after.Count, string.Join(", ", after.Except(before)), string.Join(", ", before.Except(after)));
        }
    }

    private ReloadOutcome Fail(string error)
    {
        _status.LastError = error;
        _metrics.ConfigReloads.Add(1, new KeyValuePair<string, object?>("result", "failed"));
        _logger.ReloadRejected(error);
        return ReloadOutcome.Failed;
    }

    private static void RequireSameDatabaseUrl(DataPlaneConfig running, DataPlaneConfig next)
    {
        if (next.Database.UrlEnv != running.Database.UrlEnv)
        {
            throw new InvalidConfigException(
                $"{DataPlaneConfig.FileName}: database.urlEnv changed from {running.Database.UrlEnv} to {next.Database.UrlEnv}; the database connection is fixed at startup: restart the pods to use it, or revert the change");
        }
    }
}
