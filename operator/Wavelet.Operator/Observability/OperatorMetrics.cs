using System.Diagnostics.Metrics;
using Wavelet.Api.V1Alpha1;
using Wavelet.DataPlane.Observability;

namespace Wavelet.Operator.Observability;

/// <summary>
/// The operator's instruments on the <see cref="MeterName"/> meter; an instrument's name is its Prometheus name on /metrics.
/// </summary>
public sealed class OperatorMetrics : IDisposable
{
    public const string MeterName = "Wavelet.Operator";

    public static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly string[] Results = ["success", "requeue", "error", "stalled"];
    private static readonly string[] Readiness = ["true", "false", "unknown"];
    private long _queueDepth;
    private int _leader;
    private Func<IEnumerable<WaveletProject>>? _projects;

    public OperatorMetrics()
    {
        Meter = new Meter(MeterName);
        Exposition = new MeterExposition(Meter, _ => DurationBuckets);
        Reconciles = Meter.CreateCounter<long>("wavelet_operator_reconciles_total", description: "Reconciles of WaveletProjects by result (success, requeue, error, stalled).");
        ReconcileDuration = Meter.CreateHistogram<double>("wavelet_operator_reconcile_duration_seconds", "s", "Duration of one WaveletProject reconcile.");
        DdlActions = Meter.CreateCounter<long>("wavelet_operator_ddl_actions_total", description: "DDL actions applied to RisingWave by type (create, update, delete, blocked).");
        ApiErrors = Meter.CreateCounter<long>("wavelet_operator_api_errors_total", description: "Failed Kubernetes API calls by status reason.");
        Meter.CreateObservableGauge("wavelet_operator_work_queue_depth", () => Interlocked.Read(ref _queueDepth), description: "WaveletProjects waiting to be reconciled.");
        Meter.CreateObservableGauge("wavelet_operator_leader", () => Volatile.Read(ref _leader), description: "1 while this replica holds the leader Lease (or leader election is off), else 0.");
        Exposition.Declare(
            Meter.CreateObservableGauge("wavelet_operator_projects", ObserveProjects, description: "WaveletProjects by their Ready condition (true, false, unknown); reported by the leader only."),
            "ready");
        Exposition.Declare(ReconcileDuration);
        Exposition.Declare(DdlActions, "type");
        Exposition.Declare(ApiErrors, "reason");
        foreach (var result in Results)
        {
            Reconciles.Add(0, Result(result)); // every result's series from the start, so increase() sees the first error
        }
    }

    public Meter Meter { get; }

    internal MeterExposition Exposition { get; }

    /// <summary>What /metrics serves now.</summary>
    public Task<string> RenderAsync(CancellationToken cancellationToken) => Exposition.RenderAsync(cancellationToken);

    /// <summary>Tag <c>result</c>.</summary>
    public Counter<long> Reconciles { get; }

    /// <summary>Seconds, no tags.</summary>
    public Histogram<double> ReconcileDuration { get; }

    /// <summary>Tag <c>type</c>.</summary>
    public Counter<long> DdlActions { get; }

    /// <summary>Tag <c>reason</c>.</summary>
    public Counter<long> ApiErrors { get; }

    /// <summary>What the leader gauge reports.</summary>
    public bool IsLeader => Volatile.Read(ref _leader) == 1;

    public static KeyValuePair<string, object?> Result(string result) => new("result", result);

    public void SetLeader(bool leading) => Volatile.Write(ref _leader, leading ? 1 : 0);

    public void SetQueueDepth(long depth) => Interlocked.Exchange(ref _queueDepth, depth);

    /// <summary>Where the projects gauge counts from: the controller's informer caches while it runs, null when it stops.</summary>
    public void SetProjectSource(Func<IEnumerable<WaveletProject>>? projects) => Volatile.Write(ref _projects, projects);

    private IEnumerable<Measurement<long>> ObserveProjects()
    {
        if (Volatile.Read(ref _projects) is not { } projects)
        {
            return [];
        }

        var counts = projects().GroupBy(p => p.Status?.Conditions.Find(c => c.Type == ConditionTypes.Ready)?.Status switch
        {
            "True" => "true",
            "False" => "false",
            _ => "unknown",
        }).ToDictionary(g => g.Key, g => g.LongCount(), StringComparer.Ordinal);
        return [.. Readiness.Select(r => new Measurement<long>(counts.GetValueOrDefault(r), new KeyValuePair<string, object?>("ready", r)))];
    }

    public void Dispose()
    {
        Exposition.Dispose();
        Meter.Dispose();
    }
}
