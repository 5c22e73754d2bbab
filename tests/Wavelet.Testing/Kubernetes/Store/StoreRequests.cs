using Wavelet.Testing.Kubernetes.FieldManagement;

namespace Wavelet.Testing.Kubernetes.Store;

/// <summary>How a write is made: dry run (validated and answered, nothing stored), its field manager, fieldValidation, force.</summary>
internal sealed record WriteOptions(bool DryRun, string FieldManager, string FieldValidation = "Strict", bool Force = false)
{
    /// <summary>Writes made directly by tests and by the fake's own controllers.</summary>
    public static WriteOptions Internal { get; } = new(false, "wavelet-fake", "Ignore");
}

/// <summary>The answer to a write: the object as stored (or as it would be), whether it was created, and warnings.</summary>
internal sealed record WriteResult(JsonObject Object, bool Created, IReadOnlyList<string> Warnings);

internal sealed record DeleteOptions(string? PropagationPolicy, string? PreconditionUid, string? PreconditionResourceVersion, bool DryRun);

internal sealed record ListOptions(string? LabelSelector, string? FieldSelector, int? Limit, string? Continue, string? ResourceVersion, string? ResourceVersionMatch);

internal sealed record ListResult(ResourceType Type, IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue, long? RemainingItemCount);

/// <summary>An object as stored, with its field owners.</summary>
internal sealed class StoredObject(JsonObject obj, ManagedFields owners)
{
    public JsonObject Object { get; set; } = obj;

    public ManagedFields Owners { get; set; } = owners;
}

internal sealed record HistoryEntry(long ResourceVersion, string Type, FakeObjectKey Key, JsonObject? Before, JsonObject After);
