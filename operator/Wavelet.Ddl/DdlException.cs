namespace Wavelet.Ddl;

/// <summary>Why a sync failed; the operator maps each to a condition reason.</summary>
public enum DdlFailureReason
{
    RisingWaveUnreachable,
    DdlFailed,
    SchemaOwnedElsewhere,
    FilterColumnMissing,

    /// <summary>RisingWave could not reach a CDC source's database, or it refused the credentials.</summary>
    SourceUnreachable,

    /// <summary>A CDC source's database does not run with wal_level=logical.</summary>
    SourceNotLogical,

    /// <summary>A source to create has no password (its Secret was not resolved).</summary>
    SourcePasswordMissing,
    /// <summary>An existing schema holds objects Wavelet did not create, and the project does not adopt it.</summary>
    SchemaNotEmpty,

    /// <summary>Another project claimed the schema during this sync; retried, and then reported as owned elsewhere.</summary>
    SchemaClaimConflict,

    /// <summary>The connection Secret does not hold a postgres:// URL (or connection string) that can be used.</summary>
    InvalidConnectionUrl,

    /// <summary>A query reads a schema that is neither the project's nor listed in spec.risingwave.readSchemas.</summary>
    ReadOutsideSchema,
}

/// <summary>A failed sync: the database's own message, the statement that failed and what to do about it.</summary>
public sealed class DdlException : Exception
{
    public DdlException(DdlFailureReason reason, string message, string hint, string? statement = null, string? sqlState = null, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        Hint = hint;
        Statement = statement;
        SqlState = sqlState;
    }

    public DdlFailureReason Reason { get; }

    public string Hint { get; }

    public string? Statement { get; }

    public string? SqlState { get; }

    /// <summary>
    /// Only a change to the spec (or the Secret it names) can fix this: syntax and name errors (SQLSTATE classes 42
    /// except 42501, 22, 0A), a missing filter column, a schema that is not the project's, an unusable URL. Everything
    /// else — RisingWave's internal errors (XX000), lost connections, privileges, resources — may heal on a retry.
    /// </summary>
    public bool NeedsSpecChange => Reason switch
    {
        DdlFailureReason.DdlFailed => SqlState is { } state
            && ((state.StartsWith("42", StringComparison.Ordinal) && state != "42501") || state.StartsWith("22", StringComparison.Ordinal) || state == "0A000"),
        DdlFailureReason.FilterColumnMissing or DdlFailureReason.SchemaOwnedElsewhere or DdlFailureReason.SchemaNotEmpty
            or DdlFailureReason.InvalidConnectionUrl or DdlFailureReason.ReadOutsideSchema => true,
        _ => false,
    };

    /// <summary>Message, statement and hint in one text, for conditions, events and the CLI.</summary>
    public string Describe() =>
        Statement is null ? $"{Message}. {Hint}" : $"{Message} (while running: {Statement}). {Hint}";
}
