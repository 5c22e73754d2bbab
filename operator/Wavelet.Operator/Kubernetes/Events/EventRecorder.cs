using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wavelet.Api.Meta;

namespace Wavelet.Operator.Kubernetes;

/// <summary>
/// Records core/v1 Events about objects. A repeat of the same event (same object, type, reason and message) bumps the
/// existing Event's count and lastTimestamp instead of creating another one, so a reconcile loop that fails every few
/// seconds leaves one Event with a growing count. Recording is best effort: API failures are logged, never thrown.
/// </summary>
public sealed class EventRecorder : IDisposable
{
    public const int MaxMessageLength = 1024;
    private const int MaxRemembered = 4096;

    private readonly ResourceClient<Corev1Event> _events;
    private readonly string _component;
    private readonly string? _instance;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Recorded> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private long _lastNanos;

    public EventRecorder(IKubernetes client, string component, string? instance = null, ILogger<EventRecorder>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(component);
        _events = client.Resource<Corev1Event>(ResourceTypes.Events);
        _component = component;
        _instance = instance;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    public void Dispose() => _gate.Dispose();

    /// <param name="type">Normal or Warning.</param>
    /// <param name="reason">CamelCase, e.g. DdlApplied.</param>
    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(involved);
        if (type is not (EventTypes.Normal or EventTypes.Warning))
        {
            throw new ArgumentException($"Event type must be Normal or Warning, not '{type}'.", nameof(type));
        }

        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentException.ThrowIfNullOrEmpty(involved.Metadata?.Name, "involved.Metadata.Name");
        message = message.Length > MaxMessageLength ? message[..(MaxMessageLength - 1)] + "…" : message;
        var ns = string.IsNullOrEmpty(involved.Metadata.NamespaceProperty) ? "default" : involved.Metadata.NamespaceProperty;
        var key = string.Join('\u001f', involved.ApiVersion, involved.Kind, ns, involved.Metadata.Name, involved.Metadata.Uid, type, reason, message);

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            if (_recent.TryGetValue(key, out var seen) && await TryBumpAsync(seen, now, cancellationToken))
            {
                return;
            }

            // client-go names events <object>.<hex unix nanos>; keep them strictly increasing so two events in one clock tick differ
            var nanos = Math.Max(now.ToUnixTimeMilliseconds() * 1_000_000 + (now.Ticks % TimeSpan.TicksPerMillisecond) * 100, _lastNanos + 1);
            _lastNanos = nanos;
            var name = $"{involved.Metadata.Name}.{nanos.ToString("x", CultureInfo.InvariantCulture)}";
            var created = await _events.CreateAsync(new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = involved.ApiVersion,
                    Kind = involved.Kind,
                    Name = involved.Metadata.Name,
                    NamespaceProperty = involved.Metadata.NamespaceProperty,
                    Uid = involved.Metadata.Uid,
                    ResourceVersion = involved.Metadata.ResourceVersion,
                },
                Type = type,
                Reason = reason,
                Message = message,
                Source = new V1EventSource { Component = _component, Host = _instance },
                ReportingComponent = _component,
                ReportingInstance = _instance,
                FirstTimestamp = now,
                LastTimestamp = now,
                Count = 1,
            }, cancellationToken);
            Remember(key, new Recorded(ns, created.Metadata.Name ?? name, 1));
        }
        catch (KubernetesException ex)
        {
            _logger.LogWarning("Could not record event {Reason} on {Kind} {Namespace}/{Name}: {Error}", reason, involved.Kind, ns, involved.Metadata.Name, ex.Message);
        }
        catch (HttpRequestException ex)
        {
            _logger.LogWarning("Could not record event {Reason} on {Kind} {Namespace}/{Name}: {Error}", reason, involved.Kind, ns, involved.Metadata.Name, ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> TryBumpAsync(Recorded seen, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var patched = await _events.PatchMergeAsync(seen.Namespace, seen.Name, new Dictionary<string, object>
            {
                ["count"] = seen.Count + 1,
                ["lastTimestamp"] = now.UtcDateTime.ToString(TimeConverter.Format, CultureInfo.InvariantCulture),
            }, cancellationToken);
            seen.Count = patched.Count ?? seen.Count + 1;
            return true;
        }
        catch (KubernetesException ex) when (ex.IsNotFound)
        {
            return false; // the Event expired (the API server drops them after an hour by default): create a new one
        }
    }

    private void Remember(string key, Recorded recorded)
    {
        if (_recent.TryAdd(key, recorded))
        {
            _order.Enqueue(key);
            while (_order.Count > MaxRemembered)
            {
                _recent.Remove(_order.Dequeue());
            }
        }
        else
        {
            _recent[key] = recorded;
        }
    }

    private sealed class Recorded(string ns, string name, int count)
    {
        public string Namespace { get; } = ns;
        public string Name { get; } = name;
        public int Count { get; set; } = count;
    }
}
