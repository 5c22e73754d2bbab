using k8s.Models;

namespace Wavelet.Api.V1Alpha1;

public sealed class WaveletProjectStatus
{
    [Description("metadata.generation of the spec this status describes.")]
    public long? ObservedGeneration { get; set; }

    [ListMapKeys("type")]
    [Description("Ready, DdlSynced, DataPlaneAvailable, Reconciling and Stalled (metav1.Condition, kstatus-compatible).")]
    public List<V1Condition> Conditions { get; set; } = [];

    /// <summary>In-cluster URL of the data-plane Service.</summary>
    [Description("In-cluster URL of the data-plane Service, e.g. http://<name>-wavelet.<namespace>.svc:8080.")]
    public string? Endpoint { get; set; }

    /// <summary>Number of queries in the spec the operator last reconciled (the QUERIES printer column).</summary>
    [Description("Number of live queries the operator last synced (the QUERIES column of kubectl get).")]
    public int? QueryCount { get; set; }

    [Description("Data-plane pods that exist.")]
    public int? Replicas { get; set; }

    [Description("Data-plane pods that are ready (have a snapshot of every query).")]
    public int? ReadyReplicas { get; set; }

    [ListMapKeys("name")]
    [Description("Each query's subscription and result columns as RisingWave reports them.")]
    public List<QueryStatus> Queries { get; set; } = [];

    [ListMapKeys("name")]
    [Description("Each event's table and columns as RisingWave reports them.")]
    public List<EventStatus> Events { get; set; } = [];

    [Description("When the DDL last synced successfully.")]
    public DateTimeOffset? LastSyncTime { get; set; }

    /// <summary>The most recent DDL actions (bounded).</summary>
    [Description("The DDL actions of the most recent sync that changed something (at most 50).")]
    public List<DdlActionStatus> LastActions { get; set; } = [];
}

public sealed class QueryStatus
{
    [Required]
    [Description("Query name.")]
    public string Name { get; set; } = "";

    [Description("Name of the query's subscription.")]
    public string Subscription { get; set; } = "";

    [Description("Visible columns of the materialized view, in order.")]
    public List<ColumnStatus> Columns { get; set; } = [];
}

public sealed class EventStatus
{
    [Required]
    [Description("Event name.")]
    public string Name { get; set; } = "";

    [Description("Name of the event's table.")]
    public string Table { get; set; } = "";

    [Description("Columns of the table, in order.")]
    public List<ColumnStatus> Columns { get; set; } = [];
}

public sealed class ColumnStatus
{
    [Description("Column name.")]
    public string Name { get; set; } = "";

    /// <summary>RisingWave's type name, e.g. integer, character varying.</summary>
    [Description("RisingWave's type name, e.g. integer, character varying.")]
    public string Type { get; set; } = "";
}

public sealed class DdlActionStatus
{
    /// <summary>create, update, delete, unchanged or blocked.</summary>
    [Description("create, update, delete, unchanged or blocked.")]
    public string Type { get; set; } = "";

    /// <summary>event, query or subscription.</summary>
    [Description("event, query or subscription.")]
    public string Resource { get; set; } = "";

    [Description("Name of the event, query or subscription.")]
    public string Name { get; set; } = "";

    [Description("Why, for blocked and update actions.")]
    public string? Detail { get; set; }
}

/// <summary>Condition types and reasons the operator sets.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string DdlSynced = "DdlSynced";
    public const string DataPlaneAvailable = "DataPlaneAvailable";
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";
}
