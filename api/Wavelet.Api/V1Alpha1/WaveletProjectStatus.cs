using Wavelet.Api.Meta;

namespace Wavelet.Api.V1Alpha1;

public sealed class WaveletProjectStatus
{
    public long? ObservedGeneration { get; set; }
    public List<V1Condition> Conditions { get; set; } = [];

    /// <summary>In-cluster URL of the data-plane Service.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Number of queries in the spec the operator last reconciled (the QUERIES printer column).</summary>
    public int? QueryCount { get; set; }

    public int? Replicas { get; set; }
    public int? ReadyReplicas { get; set; }
    public List<QueryStatus> Queries { get; set; } = [];
    public List<EventStatus> Events { get; set; } = [];
    public DateTimeOffset? LastSyncTime { get; set; }

    /// <summary>The most recent DDL actions (bounded).</summary>
    public List<DdlActionStatus> LastActions { get; set; } = [];
}

public sealed class QueryStatus
{
    public string Name { get; set; } = "";
    public string Subscription { get; set; } = "";
    public List<ColumnStatus> Columns { get; set; } = [];
}

public sealed class EventStatus
{
    public string Name { get; set; } = "";
    public string Table { get; set; } = "";
    public List<ColumnStatus> Columns { get; set; } = [];
}

public sealed class ColumnStatus
{
    public string Name { get; set; } = "";

    /// <summary>RisingWave's type name, e.g. integer, character varying.</summary>
    public string Type { get; set; } = "";
}

public sealed class DdlActionStatus
{
    /// <summary>create, update, delete, unchanged or blocked.</summary>
    public string Type { get; set; } = "";

    /// <summary>event, query or subscription.</summary>
    public string Resource { get; set; } = "";

    public string Name { get; set; } = "";
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
