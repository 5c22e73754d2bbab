using Wavelet.Api.Observability;

namespace Wavelet.Operator.Observability;

/// <summary>The operator's Prometheus metrics, served on /metrics.</summary>
public sealed class OperatorMetrics
{
    public OperatorMetrics()
    {
        Reconciles = Registry.CreateCounter("wavelet_operator_reconciles_total", "Reconciles of WaveletProjects by result (success, requeue, error, stalled).", "result");
        ReconcileDuration = Registry.CreateHistogram("wavelet_operator_reconcile_duration_seconds", "Duration of one WaveletProject reconcile.", Histogram.DefaultBuckets);
        QueueDepth = Registry.CreateGauge("wavelet_operator_work_queue_depth", "WaveletProjects waiting to be reconciled.");
        DdlActions = Registry.CreateCounter("wavelet_operator_ddl_actions_total", "DDL actions applied to RisingWave by type (create, update, delete, blocked).", "type");
        ApiErrors = Registry.CreateCounter("wavelet_operator_api_errors_total", "Failed Kubernetes API calls by status reason.", "reason");
        Leader = Registry.CreateGauge("wavelet_operator_leader", "1 while this replica holds the leader Lease (or leader election is off), else 0.");
    }

    public MetricsRegistry Registry { get; } = new();

    public Counter Reconciles { get; }

    public Histogram ReconcileDuration { get; }

    public Gauge QueueDepth { get; }

    public Counter DdlActions { get; }

    public Counter ApiErrors { get; }

    public Gauge Leader { get; }
}
