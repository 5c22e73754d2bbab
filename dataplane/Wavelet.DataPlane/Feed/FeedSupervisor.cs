using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.Observability;
using Wavelet.DataPlane.State;
using Wavelet.DataPlane.Webhooks;

namespace Wavelet.DataPlane.Feed;

/// <summary>
/// Runs one feed per configured query, pumping its change source into the query's hub.
/// <see cref="Apply"/> diffs a new config against the running feeds: starts added, stops removed, restarts changed ones,
/// and publishes the config with its hubs in one step (<see cref="ConfigHolder.Publish"/>) before retiring what it replaced.
/// </summary>
public sealed class FeedSupervisor : IAsyncDisposable
{
    private readonly IChangeSource _source;
    private readonly ConfigHolder _holder;
    private readonly DataPlaneMetrics _metrics;
    private readonly ILogger<FeedSupervisor> _logger;
    private readonly WebhookDispatcher? _webhooks;
    private readonly Dictionary<string, RunningFeed> _feeds = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public FeedSupervisor(IChangeSource source, ConfigHolder holder, DataPlaneMetrics metrics, ILogger<FeedSupervisor> logger, WebhookDispatcher? webhooks = null)
    {
        _webhooks = webhooks;
        _source = source;
        _holder = holder;
        _metrics = metrics;
        _logger = logger;
    }

    public void Apply(DataPlaneConfig config)
    {
        lock (_lock)
        {
            var running = _holder.Live.Hubs;
            var hubs = new Dictionary<string, QueryHub>(StringComparer.Ordinal);
            var retire = new List<(QueryHub Hub, int Code, string Reason)>();
            var stop = new List<RunningFeed>();
            var wanted = config.Queries.ToDictionary(q => q.Name, StringComparer.Ordinal);
            foreach (var (name, feed) in _feeds.ToList())
            {
                if (!wanted.TryGetValue(name, out var query))
                {
                    _logger.QueryRemoved(name);
                    stop.Add(feed);
                    _feeds.Remove(name);
                    if (running.TryGetValue(name, out var removed))
                    {
                        retire.Add((removed, CloseCodes.QueryRemoved, $"query '{name}' was removed"));
                    }
                }
                else if (feed.Differs(config.Database.Schema, query, ValueShapeNames.Parse(config.ValueShape)))
                {
                    _logger.QueryChanged(name);
                    stop.Add(feed);
                    _feeds.Remove(name);
                }
            }

            foreach (var query in config.Queries)
            {
                var old = running.TryGetValue(query.Name, out var hub) ? hub : null;
                if (_feeds.ContainsKey(query.Name) && old is not null)
                {
                    hubs[query.Name] = old;
                    continue;
                }

                // A restarted query keeps its hub (and subscribers) when only its SQL changed; the new feed's snapshot reaches them.
                var next = old is not null && old.FilterBy == query.FilterBy
                    ? old
                    : new QueryHub(query.Name, query.FilterBy, config.Limits.ResumeEpochs, _metrics);
                if (old is not null && !ReferenceEquals(next, old))
                {
                    retire.Add((old, CloseCodes.ConfigChanged, $"query '{query.Name}' was redefined: reconnect"));
                }

                hubs[query.Name] = next;
                if (_feeds.Remove(query.Name, out var orphan))
                {
                    stop.Add(orphan);
                }

                Start(config, query, next);
            }

            _holder.Publish(config, hubs);
            foreach (var feed in stop)
            {
                feed.Stop();
            }

            foreach (var (hub, code, reason) in retire)
            {
                hub.Retire(code, reason);
            }

            _webhooks?.Apply(config);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<RunningFeed> feeds;
        lock (_lock)
        {
            feeds = [.. _feeds.Values];
            _feeds.Clear();
        }

        foreach (var feed in feeds)
        {
            feed.Stop();
            await feed.Completion;
        }

        if (_webhooks is not null)
        {
            await _webhooks.DisposeAsync();
        }
    }

    private void Start(DataPlaneConfig config, QueryConfig query, QueryHub hub)
    {
        var cts = new CancellationTokenSource();
        var shape = ValueShapeNames.Parse(config.ValueShape);
        var completion = Task.Run(() => PumpAsync(config.Database.Schema, query, shape, hub, cts.Token));
        _feeds[query.Name] = new RunningFeed(config.Database.Schema, query, shape, cts, completion);
    }

    private async Task PumpAsync(string schema, QueryConfig query, ValueShape shape, QueryHub hub, CancellationToken ct)
    {
        using var scope = _logger.BeginQueryScope(query.Name);
        try
        {
            await foreach (var change in _source.FollowAsync(schema, query, shape, ct).WithCancellation(ct))
            {
                switch (change)
                {
                    case SnapshotEvent snapshot:
                        hub.ApplySnapshot(snapshot.Rows);
                        break;
                    case EpochEvent epoch:
                        hub.ApplyEpoch(epoch.Timestamp, epoch.Changes);
                        _webhooks?.Publish(query.Name, epoch.Timestamp, epoch.Changes);
                        _metrics.EpochsApplied.Add(1, DataPlaneMetrics.Query(query.Name));
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // one feed's bug is logged and must not stop the process or the other feeds
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.FeedStopped(e, query.Name);
        }
    }

    private sealed class RunningFeed(string schema, QueryConfig query, ValueShape shape, CancellationTokenSource cts, Task completion)
    {
        public Task Completion => completion;

        /// <summary>A new value shape re-serialises every row: the feed restarts and subscribers get a fresh snapshot.</summary>
        public bool Differs(string newSchema, QueryConfig next, ValueShape nextShape) =>
            newSchema != schema || nextShape != shape || next.Subscription != query.Subscription || next.SpecHash != query.SpecHash || next.FilterBy != query.FilterBy;

        public void Stop()
        {
            cts.Cancel();
            _ = completion.ContinueWith(_ => cts.Dispose(), TaskScheduler.Default);
        }
    }
}
