namespace Wavelet.Cli.Status;

/// <summary>Everything `wavelet status` found; printed as text or JSON.</summary>
public sealed class StatusReport
{
    public string File { get; init; } = "";
    public string Project { get; init; } = "";
    public string Schema { get; init; } = "";
    public IReadOnlyList<DeclaredEvent> Events { get; init; } = [];
    public IReadOnlyList<DeclaredQuery> Queries { get; init; } = [];
    public DatabaseStatus Database { get; init; } = new();
    public DataPlaneStatus? DataPlane { get; set; }

    /// <summary>False when a configured database is unreachable or a given data plane is unreachable or not ready.</summary>
    public bool Healthy => (!Database.Configured || Database.Reachable) && (DataPlane is null || DataPlane.Ready);
}

public sealed record DeclaredEvent(string Name, IReadOnlyList<string> Columns);

public sealed record DeclaredQuery(string Name, string? FilterBy, string? FilterClaim);

public sealed class DatabaseStatus
{
    public bool Configured { get; init; }
    public string? Url { get; init; }
    public string? Source { get; init; }
    public bool Reachable { get; set; }
    public bool? InSync { get; set; }
    public IReadOnlyList<ActionJson>? PendingChanges { get; set; }
    public string? Error { get; set; }
}

public sealed class DataPlaneStatus
{
    public string Url { get; init; } = "";
    public bool Reachable { get; set; }
    public bool Ready { get; set; }
    public bool Draining { get; set; }
    public IReadOnlyList<string> Loading { get; set; } = [];
    public string? ConfigError { get; set; }
    public IReadOnlyList<QueryLag> Queries { get; set; } = [];
    public string? Error { get; set; }
}

/// <summary>A query's feed lag (seconds since the last applied epoch) and open WebSocket connections, from /metrics.</summary>
public sealed record QueryLag(string Name, double? LagSeconds, long Connections);
