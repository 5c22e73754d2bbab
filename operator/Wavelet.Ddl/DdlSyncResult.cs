namespace Wavelet.Ddl;

/// <summary>A query's materialized view as RisingWave reports it after a sync: for status and the data-plane config.</summary>
public sealed record SyncedQuery(string Name, string Subscription, string SpecHash, IReadOnlyList<ActualColumn> Columns);

/// <summary>What a sync did, and the schema it left.</summary>
public sealed record DdlSyncResult(string Schema, IReadOnlyList<DdlAction> Actions, IReadOnlyList<SyncedQuery> Queries, int StatementsExecuted)
{
    public bool HasBlocked => Actions.Any(a => a.Type == DdlActionTypes.Blocked);
}

/// <summary>Queries whose views match the project (with their columns), and those missing or built from other SQL.</summary>
public sealed record QueryColumns(IReadOnlyList<SyncedQuery> Current, IReadOnlyList<string> Stale);
