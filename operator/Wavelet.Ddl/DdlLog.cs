using Microsoft.Extensions.Logging;

namespace Wavelet.Ddl;

/// <summary>Log messages of the DDL sync (event ids 3000-3099, docs/design/conventions.md).</summary>
internal static partial class DdlLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "DDL {Type} {Resource} {Name} in {Schema}: {Detail}")]
    public static partial void DdlApplied(this ILogger logger, string type, string resource, string name, string schema, string? detail);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Claimed schema {Schema} for {Project} (existing schema adopted: {Adopted})")]
    public static partial void SchemaClaimed(this ILogger logger, string schema, ProjectOwner project, bool adopted);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "FLUSH after a failed DDL step failed too ({Message}); the next sync may recreate the last object")]
    public static partial void FlushAfterFailureFailed(this ILogger logger, string message);
}
