namespace Wavelet.Ddl;

/// <summary>Tells a CDC source's own problems (unreachable database, wal_level) apart from other refused statements.</summary>
internal static class SourceFailures
{
    public static (DdlFailureReason Reason, string Hint)? Classify(string statement, string message)
    {
        if (!statement.StartsWith("CREATE SOURCE", StringComparison.Ordinal) && !statement.StartsWith("CREATE TABLE", StringComparison.Ordinal))
        {
            return null;
        }

        if (message.Contains("wal_level", StringComparison.OrdinalIgnoreCase))
        {
            return (DdlFailureReason.SourceNotLogical,
                "set wal_level = logical on the source PostgreSQL server (ALTER SYSTEM SET wal_level = logical, then restart it); see docs/troubleshooting.md");
        }

        if (statement.StartsWith("CREATE SOURCE", StringComparison.Ordinal)
            && (message.Contains("connect", StringComparison.OrdinalIgnoreCase) || message.Contains("password", StringComparison.OrdinalIgnoreCase)
                || message.Contains("does not exist", StringComparison.OrdinalIgnoreCase) || message.Contains("timed out", StringComparison.OrdinalIgnoreCase)))
        {
            return (DdlFailureReason.SourceUnreachable,
                "check spec.sources[].connection (host and port as RisingWave reaches them, database, user) and the password in its Secret; see docs/troubleshooting.md");
        }

        return null;
    }
}
