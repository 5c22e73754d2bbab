using System.Collections.Concurrent;
using System.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wavelet.Api;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Children;
using Wavelet.Operator.Hosting;
using Wavelet.Operator.Kubernetes;
using Wavelet.Operator.Kubernetes.Watch;
using Wavelet.Operator.Observability;
using Wavelet.Operator.Reconciliation;

namespace Wavelet.Operator.Controller;

/// <summary>
/// Watches WaveletProjects and their children (by the managed-by label); feeds a work queue keyed namespace/name; runs up
/// to MaxConcurrentReconciles reconciles (one per key at a time); resyncs every project periodically for drift and for
/// rotated Secrets (Secrets are read when a project is reconciled, never watched: see docs/security.md). A key woken up only
/// by its children gets a child-only pass (no RisingWave session when the DDL inputs are unchanged); anything else, a full one.
/// </summary>
public sealed class ProjectController(
    IKubernetes client, ProjectReconciler reconciler, OperatorMetrics metrics, OperatorReadiness readiness,
    IOptions<OperatorOptions> options, TimeProvider time, ILoggerFactory loggers, InformerCache? cache = null)
{
    private readonly OperatorOptions _options = options.Value;
    private readonly ILogger _logger = loggers.CreateLogger<ProjectController>();

    // Keys that need a full pass the next time a worker takes them; a key queued without an entry was woken by a child.
    private readonly ConcurrentDictionary<string, byte> _fullPasses = new(StringComparer.Ordinal);

    /// <summary>Reconciles until <paramref name="cancellationToken"/> is cancelled (shutdown or lost leadership), then returns.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        readiness.MarkNotReady("syncing caches");
        using var queue = new WorkQueue(time);
        queue.DepthChanged += depth => metrics.SetQueueDepth(depth);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var projectInformers = new List<Informer<WaveletProject>>();
        var running = new List<Task>();
        cache?.Clear();
        _fullPasses.Clear();
        foreach (var ns in _options.EffectiveNamespaces)
        {
            var projects = NewInformer<WaveletProject>(ns, null);
            projects.Added += p => queue.Add(Full(Key(p)));
            projects.Updated += (old, updated) =>
            {
                if (NeedsReconcile(old, updated))
                {
                    queue.Add(Full(Key(updated)));
                }
            };
            projects.Deleted += p => queue.Add(Full(Key(p)));
            projectInformers.Add(projects);
            running.Add(projects.RunAsync(stop.Token));

            running.Add(WatchChildren<V1ConfigMap>(ns, queue, stop.Token));
            running.Add(WatchChildren<V1Deployment>(ns, queue, stop.Token));
            running.Add(WatchChildren<V1Service>(ns, queue, stop.Token));
            running.Add(WatchChildren<V1PodDisruptionBudget>(ns, queue, stop.Token));
            running.Add(WatchChildren<V2HorizontalPodAutoscaler>(ns, queue, stop.Token));
        }

        metrics.SetProjectSource(() => projectInformers.SelectMany(i => i.List()));
        try
        {
            await Task.WhenAll(projectInformers.Select(i => i.WaitForSyncAsync(stop.Token)));
            readiness.MarkReady();
            _logger.CachesSynced(
                _options.WatchNamespaces.Count == 0 ? "all namespaces" : string.Join(", ", _options.WatchNamespaces), _options.MaxConcurrentReconciles);

            using var resync = time.CreateTimer(_ =>
            {
                foreach (var project in projectInformers.SelectMany(i => i.List()))
                {
                    queue.AddBackground(Full(Key(project)));
                }
            }, null, _options.ResyncPeriod, _options.ResyncPeriod);

            var workers = Enumerable.Range(0, _options.MaxConcurrentReconciles).Select(_ => WorkAsync(queue, stop.Token)).ToList();
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            metrics.SetProjectSource(null);
            queue.ShutDown();
            cache?.Clear();
            await stop.CancelAsync();
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            _logger.ControllerStopped();
        }
    }

    /// <summary>Spec, deletion, annotation or finalizer changes; never status-only updates (the operator's own status writes).</summary>
    internal static bool NeedsReconcile(WaveletProject old, WaveletProject updated) =>
        old.Metadata.Generation != updated.Metadata.Generation
        || old.Metadata.DeletionTimestamp != updated.Metadata.DeletionTimestamp
        || !SameMap(old.Metadata.Annotations, updated.Metadata.Annotations);

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value));

    private async Task WorkAsync(WorkQueue queue, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var key = await queue.GetAsync(ct);
            if (key is null)
            {
                return;
            }

            try
            {
                await ProcessAsync(queue, key, ct);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    private async Task ProcessAsync(WorkQueue queue, string key, CancellationToken ct)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        var started = Stopwatch.GetTimestamp();
        string result;
        try
        {
            var scope = _fullPasses.TryRemove(key, out _) ? ReconcileScope.Full : ReconcileScope.Children;
            var outcome = await reconciler.ReconcileAsync(ns, name, scope, ct);
            switch (outcome.Outcome)
            {
                case ReconcileOutcome.Retry:
                    Full(key);
                    var delay = queue.AddRateLimited(key);
                    _logger.ReconcileRetry(key, outcome.Reason, delay);
                    result = "error";
                    break;
                case ReconcileOutcome.Requeue:
                    queue.Forget(key);
                    queue.AddAfter(key, outcome.RequeueAfter ?? TimeSpan.FromSeconds(30));
                    result = "requeue";
                    break;
                case ReconcileOutcome.Stalled:
                    queue.Forget(key);
                    result = "stalled";
                    break;
                default:
                    queue.Forget(key);
                    result = "success";
                    break;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (HttpOperationException e)
        {
            var status = e.Status();
            metrics.ApiErrors.Add(1, new KeyValuePair<string, object?>("reason", string.IsNullOrEmpty(status.Reason) ? (status.Code ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture) : status.Reason));
            // A conflict (409) too: retried at once, two writers that keep conflicting would spin.
            Full(key);
            var delay = queue.AddRateLimited(key);

            _logger.ReconcileApiError(key, status.Reason, status.Message, delay);
            result = "error";
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException or Npgsql.NpgsqlException)
        {
            metrics.ApiErrors.Add(1, new KeyValuePair<string, object?>("reason", "Transport"));
            Full(key);
            var delay = queue.AddRateLimited(key);
            _logger.ReconcileTransportError(e, key, delay);
            result = "error";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One project's unexpected failure must not stop the workers serving the others.
            Full(key);
            var delay = queue.AddRateLimited(key);
            _logger.ReconcileUnexpectedError(e, key, delay);
            result = "error";
        }

        metrics.Reconciles.Add(1, OperatorMetrics.Result(result));
        metrics.ReconcileDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private Task WatchChildren<T>(string? ns, WorkQueue queue, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = NewInformer<T>(ns, ProjectLabels.ManagedSelector);
        cache?.Register(ns, informer);
        void Enqueue(T child)
        {
            var owner = child.GetController();
            if (owner?.Kind == WaveletGroup.Kind)
            {
                queue.Add($"{child.Namespace()}/{owner.Name}");
            }
        }

        informer.Added += Enqueue;
        informer.Updated += (_, child) => Enqueue(child);
        informer.Deleted += Enqueue;
        return informer.RunAsync(ct);
    }

    private Informer<T> NewInformer<T>(string? ns, string? labelSelector)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new(client, ns, labelSelector, loggers.CreateLogger($"Wavelet.Operator.Informer.{ResourceKind.Of(typeof(T)).Kind}"), time);

    /// <summary>Marks the key for a full pass (retries too: a failure may have come from the DDL phase); returns it.</summary>
    private string Full(string key)
    {
        _fullPasses[key] = 0;
        return key;
    }

    private static string Key(WaveletProject project) => $"{project.Metadata.NamespaceProperty}/{project.Metadata.Name}";
}
