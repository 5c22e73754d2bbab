using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Feed;
using Wavelet.DataPlane.Observability;

namespace Wavelet.DataPlane.Webhooks;

/// <summary>
/// Runs one <see cref="WebhookTarget"/> per query with a webhook. <see cref="Apply"/> follows config changes (called with
/// the feeds by <see cref="FeedSupervisor.Apply"/>); <see cref="Publish"/> hands each applied epoch to its target.
/// </summary>
public sealed class WebhookDispatcher : IAsyncDisposable
{
    public const string HttpClientName = "wavelet-webhooks";

    private readonly IHttpClientFactory _httpClients;
    private readonly WebhookOptions _options;
    private readonly DataPlaneMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly Func<string, string?> _environment;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly Dictionary<string, WebhookTarget> _targets = new(StringComparer.Ordinal);
    private readonly List<Task> _stopping = [];
    private readonly object _lock = new();
    private bool _disposed;

    public WebhookDispatcher(IHttpClientFactory httpClients, WebhookOptions options, DataPlaneMetrics metrics, TimeProvider clock, Func<string, string?> environment, ILogger<WebhookDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClients = httpClients;
        _options = options;
        _metrics = metrics;
        _clock = clock;
        _environment = environment;
        _logger = logger;
    }

    /// <summary>Queries that currently deliver webhooks.</summary>
    public IReadOnlyCollection<string> Active
    {
        get
        {
            lock (_lock)
            {
                return [.. _targets.Keys];
            }
        }
    }

    /// <summary>Starts targets for added webhooks, stops removed ones, replaces those whose URL or secret variable changed.</summary>
    public void Apply(DataPlaneConfig config)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            var wanted = config.Queries.Where(q => q.Webhook is not null).ToDictionary(q => q.Name, StringComparer.Ordinal);
            foreach (var (name, target) in _targets.ToList())
            {
                if (!wanted.TryGetValue(name, out var query) || query.Webhook!.Url != target.Config.Url || query.Webhook.SecretEnv != target.Config.SecretEnv)
                {
                    _logger.WebhookStopping(name);
                    _targets.Remove(name);
                    Track(target.DisposeAsync().AsTask());
                }
            }

            foreach (var query in wanted.Values.Where(q => !_targets.ContainsKey(q.Name)))
            {
                Start(query);
            }
        }
    }

    /// <summary>Queues the epoch for the query's webhook, if it has one; never blocks the feed.</summary>
    public void Publish(string query, long cursor, IReadOnlyList<Change> changes)
    {
        WebhookTarget? target;
        lock (_lock)
        {
            _targets.TryGetValue(query, out target);
        }

        if (target is not null && WebhookPayload.For(query, cursor, changes) is { } body)
        {
            target.Offer(body);
        }
    }

    /// <summary>Stops every sender: deliveries in flight are cancelled, queued diffs are dropped and counted.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Task> stops;
        lock (_lock)
        {
            _disposed = true;
            stops = [.. _targets.Values.Select(t => t.DisposeAsync().AsTask()), .. _stopping];
            _targets.Clear();
            _stopping.Clear();
        }

        await Task.WhenAll(stops);
    }

    private void Start(QueryConfig query)
    {
        if (WebhookSecrets.TryResolve(query, _environment, out var error) is not { } key)
        {
            // Only reachable on reload (startup refuses it): the pod rolling out with the new Secret env will deliver.
            _logger.WebhookDisabled(query.Name, error);
            return;
        }

        var target = new WebhookTarget(query.Name, query.Webhook!, key, _httpClients.CreateClient(HttpClientName), _options, _metrics, _clock, _logger);
        _targets[query.Name] = target;
        target.Start();
        _logger.WebhookStarted(query.Name, _options.QueueCapacity, _options.MaxAttempts);
    }

    private void Track(Task stop)
    {
        _stopping.RemoveAll(t => t.IsCompleted);
        _stopping.Add(stop);
    }
}
