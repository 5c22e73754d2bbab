using System.Globalization;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wavelet.Operator.Kubernetes.Events;

/// <summary>
/// Records core/v1 Events about objects. A repeat of the same event (same object, type, reason and message) bumps the
/// existing Event's count and lastTimestamp instead of creating another one, so a reconcile loop that fails every few
/// seconds leaves one Event with a growing count. No lock is held across an API call: only repeats of one and the same
/// event wait for each other (their count must not go backwards); everything else is recorded concurrently. Recording
/// is best effort: API failures are logged, never thrown.
/// </summary>
public sealed class EventRecorder
{
    public const int MaxMessageLength = 1024;
    private const int MaxRemembered = 4096;

    private readonly IKubernetes _client;
    private readonly string _component;
    private readonly string? _instance;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Series> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private long _lastNanos;

    public EventRecorder(IKubernetes client, string component, string? instance = null, ILogger<EventRecorder>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(component);
        _client = client;
        _component = component;
        _instance = instance;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <param name="type">Normal or Warning.</param>
    /// <param name="reason">CamelCase, e.g. DdlApplied.</param>
    public Task RecordAsync(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(involved);
        if (type is not (EventTypes.Normal or EventTypes.Warning))
        {
            throw new ArgumentException($"Event type must be Normal or Warning, not '{type}'.", nameof(type));
        }

        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentException.ThrowIfNullOrEmpty(involved.Metadata?.Name, "involved.Metadata.Name");
        message = message.Length > MaxMessageLength ? message[..(MaxMessageLength - 1)] + "…" : message;
        var ns = string.IsNullOrEmpty(involved.Namespace()) ? "default" : involved.Namespace();
        var key = string.Join('\u001f', involved.ApiVersion, involved.Kind, ns, involved.Name(), involved.Uid(), type, reason, message);
        var template = new Corev1Event
        {
            ApiVersion = Corev1Event.KubeApiVersion,
            Kind = Corev1Event.KubeKind,
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = involved.ApiVersion,
                Kind = involved.Kind,
                Name = involved.Name(),
                NamespaceProperty = involved.Namespace(),
                Uid = involved.Uid(),
                ResourceVersion = involved.ResourceVersion(),
            },
            Type = type,
            Reason = reason,
            Message = message,
            Source = new V1EventSource { Component = _component, Host = _instance },
            ReportingComponent = _component,
            ReportingInstance = _instance,
        };

        lock (_gate)
        {
            if (!_recent.TryGetValue(key, out var series))
            {
                series = new Series(ns);
                Remember(key, series);
            }

            return series.Tail = After(series.Tail, () => WriteAsync(series, template, cancellationToken));
        }
    }

    private static async Task After(Task previous, Func<Task> next)
    {
        await previous; // never faults: WriteAsync logs its failures
        await next();
    }

    private async Task WriteAsync(Series series, Corev1Event template, CancellationToken cancellationToken)
    {
        // metav1.Time has whole seconds on the wire.
        var now = _time.GetUtcNow();
        var seconds = new DateTime(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        try
        {
            if (series.Name is not null)
            {
                try
                {
                    var patch = new V1Patch(new { count = series.Count + 1, lastTimestamp = seconds }, V1Patch.PatchType.MergePatch);
                    var patched = await _client.CoreV1.PatchNamespacedEventAsync(patch, series.Name, series.Namespace, cancellationToken: cancellationToken);
                    series.Count = patched.Count ?? series.Count + 1;
                    return;
                }
                catch (HttpOperationException ex) when (ex.IsNotFound())
                {
                    // the Event expired (the API server drops them after an hour by default): create a new one
                }
            }

            template.Metadata = new V1ObjectMeta { Name = $"{template.InvolvedObject.Name}.{NextNanos(now).ToString("x", CultureInfo.InvariantCulture)}", NamespaceProperty = series.Namespace };
            template.FirstTimestamp = seconds;
            template.LastTimestamp = seconds;
            template.Count = 1;
            var created = await _client.CoreV1.CreateNamespacedEventAsync(template, series.Namespace, cancellationToken: cancellationToken);
            series.Name = created.Metadata?.Name ?? template.Metadata.Name;
            series.Count = 1;
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            var why = ex is HttpOperationException api ? api.Describe() : ex.Message;
            _logger.EventNotRecorded(
                template.Reason, template.InvolvedObject.Kind, series.Namespace, template.InvolvedObject.Name, why);
        }
    }

    // client-go names events <object>.<hex unix nanos>; keep them strictly increasing so two events in one clock tick differ.
    private long NextNanos(DateTimeOffset now)
    {
        var nanos = now.ToUnixTimeMilliseconds() * 1_000_000 + (now.Ticks % TimeSpan.TicksPerMillisecond) * 100;
        while (true)
        {
            var last = Interlocked.Read(ref _lastNanos);
            var next = Math.Max(nanos, last + 1);
            if (Interlocked.CompareExchange(ref _lastNanos, next, last) == last)
            {
                return next;
            }
        }
    }

    private void Remember(string key, Series series)
    {
        _recent[key] = series;
        _order.Enqueue(key);
        while (_order.Count > MaxRemembered)
        {
            _recent.Remove(_order.Dequeue());
        }
    }

    /// <summary>One aggregated Event; touched only by the write chain of its key, so its fields need no lock.</summary>
    private sealed class Series(string ns)
    {
        public string Namespace { get; } = ns;
        public string? Name { get; set; }
        public int Count { get; set; }
        public Task Tail { get; set; } = Task.CompletedTask;
    }
}

/// <summary>The two core/v1 Event types.</summary>
public static class EventTypes
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
