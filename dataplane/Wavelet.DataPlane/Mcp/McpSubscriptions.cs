using System.Collections.Concurrent;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Wavelet.DataPlane.Auth;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Fanout;

namespace Wavelet.DataPlane.Mcp;

/// <summary>
/// Resource subscriptions of MCP sessions, and the throttled loop that tells each session when the rows it may see
/// changed: at most once per <see cref="McpOptions.NotifyInterval"/> per subscription, and only when that caller's
/// visible rows differ (a change in another tenant's rows sends nothing, not even its timing). A subscription ends on
/// unsubscribe, when its session is gone, when its token expires, or when its query is removed.
/// </summary>
public sealed class McpSubscriptions(ConfigHolder holder, HubRegistry hubs, McpOptions options, McpMetrics metrics, TimeProvider clock, ILogger<McpSubscriptions> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<(McpServer Server, string Query), Subscription> _subscriptions = new();

    public int Count => _subscriptions.Count;

    public void Add(McpServer server, string query, Caller caller)
    {
        var subscription = new Subscription(caller);
        if (hubs.Find(query) is { Ready: true } hub)
        {
            subscription.Seen(hub.LastEpoch, Fingerprint(holder, hub, query, caller));
        }

        _subscriptions[(server, query)] = subscription;
        metrics.SetSubscriptions(_subscriptions.Count);
    }

    public void Remove(McpServer server, string query)
    {
        _subscriptions.TryRemove((server, query), out _);
        metrics.SetSubscriptions(_subscriptions.Count);
    }

    /// <summary>One pass over every subscription (the loop runs it each interval).</summary>
    public async Task NotifyChangedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var ((server, query), subscription) in _subscriptions)
        {
            if (subscription.Caller.Expires is { } expires && expires <= now)
            {
                logger.McpSubscriptionExpired(query);
                Remove(server, query);
                continue;
            }

            if (hubs.Find(query) is not { Ready: true } hub)
            {
                if (!holder.Current.Queries.Any(q => q.Name == query))
                {
                    Remove(server, query);
                }

                continue;
            }

            var epoch = hub.LastEpoch;
            if (subscription.Epoch == epoch && subscription.Fingerprint is not null)
            {
                continue; // nothing applied since the last look
            }

            var fingerprint = Fingerprint(holder, hub, query, subscription.Caller);
            var changed = subscription.Fingerprint is { } before && before != fingerprint;
            subscription.Seen(epoch, fingerprint);
            if (!changed)
            {
                continue;
            }

            try
            {
                await server.SendNotificationAsync(NotificationMethods.ResourceUpdatedNotification, new ResourceUpdatedNotificationParams { Uri = McpResources.UriOf(query) }, cancellationToken: ct);
                metrics.Notified(query);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.McpSessionGone(query, e.Message);
                Remove(server, query);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.NotifyInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!_subscriptions.IsEmpty)
                {
                    await NotifyChangedAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static (long, int)? Fingerprint(ConfigHolder holder, QueryHub hub, string query, Caller caller) =>
        holder.Current.Queries.FirstOrDefault(q => q.Name == query) is { } config
            ? McpQueryRows.Fingerprint(hub.Rows(caller.PartitionsFor(config.FilterClaim)))
            : null;

    private sealed class Subscription(Caller caller)
    {
        public Caller Caller { get; } = caller;

        public long? Epoch { get; private set; }

        public (long, int)? Fingerprint { get; private set; }

        public void Seen(long? epoch, (long, int)? fingerprint)
        {
            Epoch = epoch;
            Fingerprint = fingerprint;
        }
    }
}
