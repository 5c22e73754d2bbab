namespace Wavelet.Ddl;

/// <summary>One statement of a plan, with its parameter values. Only a query's SQL body is user text sent verbatim.</summary>
public sealed record DdlStep(string Sql, IReadOnlyList<object?> Parameters)
{
    public DdlStep(string sql)
        : this(sql, [])
    {
    }

    /// <summary>The statement with secrets replaced, for logs, events, conditions and plan output; null when it holds none.</summary>
    public string? Redacted { get; init; }

    /// <summary>What may be shown of the statement: <see cref="Redacted"/> when set, else the statement itself.</summary>
    public string Display => Redacted ?? Sql;

    public override string ToString() => Display;

    /// <summary>True for statements that change the schema (as opposed to metadata rows).</summary>
    public bool IsDdl => !Sql.StartsWith("INSERT", StringComparison.Ordinal) && !Sql.StartsWith("DELETE", StringComparison.Ordinal)
        && !Sql.StartsWith("SET ", StringComparison.Ordinal);

    /// <summary>True for metadata row writes (INSERT/DELETE), which RisingWave shows to readers only after a barrier (FLUSH).</summary>
    public bool WritesRows => Sql.StartsWith("INSERT", StringComparison.Ordinal) || Sql.StartsWith("DELETE", StringComparison.Ordinal);
}

/// <summary>The ordered statements of a sync and the actions they amount to.</summary>
public sealed record DdlPlan(IReadOnlyList<DdlAction> Actions, IReadOnlyList<DdlStep> Steps)
{
    public bool InSync => Steps.Count == 0 && Actions.All(a => a.Type == DdlActionTypes.Unchanged);

    public IEnumerable<DdlAction> Blocked => Actions.Where(a => a.Type == DdlActionTypes.Blocked);
}
