using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Wavelet.Operator.Kubernetes.Watch;

/// <summary>
/// Keeps a local cache of one resource type (optionally one namespace and a label selector) in step with the API server
/// by list + watch, the way client-go's reflector does: watch from the list's resourceVersion with bookmarks and a random
/// 5–10 minute timeout; re-watch from the last seen version when a stream ends; relist when the version has expired
/// (410 as an ERROR event or as an HTTP status), delivering objects missing from the new list as deletes; back off
/// 0.8 s × 2 up to 30 s on errors. A watch answered with an empty body (the API server closing a watch that saw no
/// events; KubernetesClient reports it as an <see cref="HttpRequestException"/>) is a normal end. Handlers run on the
/// informer's loop, after the cache has changed; they must not mutate the objects they receive (the cache holds the
/// same instances).
/// </summary>
public sealed class Informer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private const int PageSize = 500;
    private static readonly TimeSpan MinHealthyWatch = TimeSpan.FromSeconds(1);
    private static readonly string Type = ResourceKind.Of(typeof(T)).ToString();

    private readonly ResourceApi<T> _api;
    private readonly string? _namespace;
    private readonly string? _labelSelector;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, T> _cache = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ReflectorBackoff _backoff = new();
    private string? _resourceVersion;

    public Informer(IKubernetes client, string? ns, string? labelSelector, ILogger logger, TimeProvider? timeProvider = null, Random? random = null)
    {
        _api = new ResourceApi<T>(client);
        _namespace = ns;
        _labelSelector = labelSelector;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared;
    }

    public event Action<T>? Added;

    /// <summary>(old, new).</summary>
    public event Action<T, T>? Updated;

    /// <summary>The last known state of a deleted object.</summary>
    public event Action<T>? Deleted;

    /// <summary>True once the first list has filled the cache.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the next watch starts from (advanced by events and bookmarks).</summary>
    public string? LastSyncResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>How many times the informer listed (the first sync plus every relist).</summary>
    public int ListCount { get; private set; }

    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    public T? TryGet(string? ns, string name)
    {
        lock (_gate)
        {
            return _cache.GetValueOrDefault(Key(ns, name));
        }
    }

    public bool TryGet(string? ns, string name, [NotNullWhen(true)] out T? value)
    {
        value = TryGet(ns, name);
        return value is not null;
    }

    /// <summary>A snapshot of the cache.</summary>
    public IReadOnlyList<T> List()
    {
        lock (_gate)
        {
            return [.. _cache.Values];
        }
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; never throws for API errors (they are logged and retried).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var relist = true;
        var goneInARow = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (relist)
                {
                    await RelistAsync(cancellationToken);
                    relist = false;
                }

                var outcome = await WatchOnceAsync(cancellationToken);
                if (outcome == WatchOutcome.Expired)
                {
                    relist = true;
                    if (++goneInARow > 1)
                    {
                        await DelayAsync(cancellationToken); // repeated 410s right after a list: do not spin
                    }

                    continue;
                }

                goneInARow = 0;
                if (outcome == WatchOutcome.ClosedTooSoon)
                {
                    await DelayAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (HttpOperationException ex) when (ex.IsGone())
            {
                _logger.ResourceVersionExpired(Type, LastSyncResourceVersion);
                relist = true;
                if (++goneInARow > 1)
                {
                    await DelayQuietlyAsync(cancellationToken);
                }
            }
#pragma warning disable CA1031 // API, network and protocol errors alike: an informer must outlive them and retry with backoff
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _logger.ListWatchFailed(ex, Type);
                await DelayQuietlyAsync(cancellationToken);
            }
        }
    }

    private async Task RelistAsync(CancellationToken cancellationToken)
    {
        var (items, listVersion) = await ListAllAsync(cancellationToken);
        ListCount++;
        var fresh = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            fresh[Key(item)] = item;
        }

        List<(T? Old, T New)> upserts = [];
        List<T> deletes;
        lock (_gate)
        {
            foreach (var (key, item) in fresh)
            {
                var old = _cache.GetValueOrDefault(key);
                if (old is null || old.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
                {
                    upserts.Add((old, item));
                }
            }

            deletes = [.. _cache.Where(pair => !fresh.ContainsKey(pair.Key)).Select(pair => pair.Value)];
            _cache.Clear();
            foreach (var (key, item) in fresh)
            {
                _cache[key] = item;
            }

            _resourceVersion = listVersion;
        }

        _logger.Listed(Type, fresh.Count, listVersion);
        foreach (var gone in deletes)
        {
            Notify(() => Deleted?.Invoke(gone));
        }

        foreach (var (old, item) in upserts)
        {
            Notify(() =>
            {
                if (old is null)
                {
                    Added?.Invoke(item);
                }
                else
                {
                    Updated?.Invoke(old, item);
                }
            });
        }

        _synced.TrySetResult();
    }

    /// <summary>Every object, page by page; a continue token that expires (410) restarts the listing once without paging.</summary>
    private async Task<(List<T> Items, string? ResourceVersion)> ListAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            var items = new List<T>();
            var first = await _api.ListAsync(_namespace, _labelSelector, PageSize, null, cancellationToken);
            items.AddRange(first.Items ?? []);
            for (var next = first.Continue(); !string.IsNullOrEmpty(next);)
            {
                var page = await _api.ListAsync(_namespace, _labelSelector, PageSize, next, cancellationToken);
                items.AddRange(page.Items ?? []);
                next = page.Continue();
            }

            return (items, first.ResourceVersion());
        }
        catch (HttpOperationException ex) when (ex.IsGone())
        {
            _logger.ContinueTokenExpired(Type);
            var all = await _api.ListAsync(_namespace, _labelSelector, null, null, cancellationToken);
            return ([.. all.Items ?? []], all.ResourceVersion());
        }
    }

    private async Task<WatchOutcome> WatchOnceAsync(CancellationToken cancellationToken)
    {
        var from = LastSyncResourceVersion;
        KubernetesException? statusError = null;
        var started = _time.GetTimestamp();
        var events = 0;
        try
        {
            await foreach (var (type, obj) in _api.WatchAsync(_namespace, _labelSelector, from, _random.Next(300, 601), OnWatchError, cancellationToken))
            {
                events++;
                if (type == WatchEventType.Bookmark)
                {
                    Advance(obj.Metadata?.ResourceVersion);
                }
                else if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted)
                {
                    Apply(type, obj);
                }
            }
        }
        catch (HttpRequestException ex) when (IsEmptyWatchBody(ex))
        {
            // The server ended the watch before sending a line; nothing was missed.
        }

        if (statusError is not null)
        {
            if (statusError.Status?.Code == 410 || statusError.Status?.Reason is "Expired" or "Gone")
            {
                _logger.WatchExpired(Type, from, statusError.Status?.Message);
                return WatchOutcome.Expired;
            }

            throw statusError;
        }

        // client-go: a watch that ends within a second with no events is treated as a failure (no tight reconnect loop).
        return events == 0 && _time.GetElapsedTime(started) < MinHealthyWatch ? WatchOutcome.ClosedTooSoon : WatchOutcome.Ended;

        void OnWatchError(Exception error)
        {
            if (error is KubernetesException { Status: not null } status)
            {
                statusError ??= status; // the ERROR event; the server closes the stream after it
            }
            else
            {
                _logger.WatchLineSkipped(error, Type);
            }
        }
    }

    /// <summary>KubernetesClient peeks the first line of a watch before returning it; an empty body fails that peek.</summary>
    private static bool IsEmptyWatchBody(HttpRequestException ex)
    {
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is EndOfStreamException)
            {
                return true;
            }
        }

        return false;
    }

    private void Apply(WatchEventType type, T obj)
    {
        var key = Key(obj);
        T? old;
        lock (_gate)
        {
            old = _cache.GetValueOrDefault(key);
            if (type == WatchEventType.Deleted)
            {
                _cache.Remove(key);
            }
            else
            {
                _cache[key] = obj;
            }

            _resourceVersion = obj.Metadata.ResourceVersion ?? _resourceVersion;
        }

        Notify(() =>
        {
            switch (type)
            {
                case WatchEventType.Deleted:
                    Deleted?.Invoke(obj);
                    break;
                case var _ when old is null:
                    Added?.Invoke(obj);
                    break;
                default:
                    Updated?.Invoke(old, obj);
                    break;
            }
        });
    }

    private void Advance(string? resourceVersion)
    {
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            lock (_gate)
            {
                _resourceVersion = resourceVersion;
            }
        }
    }

    private void Notify(Action handler)
    {
        try
        {
            handler();
        }
#pragma warning disable CA1031 // a handler's failure must not stop the informer
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.HandlerFailed(ex, Type);
        }
    }

    private Task DelayAsync(CancellationToken cancellationToken) => Task.Delay(_backoff.NextDelay(_time.GetUtcNow()), _time, cancellationToken);

    private async Task DelayQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DelayAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
    }

    private static string Key(T obj) => Key(obj.Metadata?.NamespaceProperty, obj.Metadata?.Name ?? "");

    private static string Key(string? ns, string name) => $"{ns}/{name}";

    private enum WatchOutcome
    {
        Ended,
        ClosedTooSoon,
        Expired,
    }
}
