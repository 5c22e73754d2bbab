namespace Wavelet.Ddl;

/// <summary>One change (or non-change) of a sync, in the upstream Wavelet shape.</summary>
public sealed record DdlAction(string Type, string Resource, string Name, string? Detail = null)
{
    public bool IsChange => Type is DdlActionTypes.Create or DdlActionTypes.Update or DdlActionTypes.Delete;
}

public static class DdlActionTypes
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string Unchanged = "unchanged";

    /// <summary>A destructive change refused because spec.ddl.allowDestructiveChanges is off; nothing was changed for it.</summary>
    public const string Blocked = "blocked";
}

public static class DdlResources
{
    public const string Event = "event";
    public const string Query = "query";
    public const string Subscription = "subscription";
    public const string Source = "source";
    public const string SourceTable = "table";
}
