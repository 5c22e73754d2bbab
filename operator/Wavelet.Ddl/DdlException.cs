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

    /// <summary>Message, statement and hint in one text, for conditions, events and the CLI.</summary>
    public string Describe() =>
        Statement is null ? $"{Message}. {Hint}" : $"{Message} (while running: {Statement}). {Hint}";
}
