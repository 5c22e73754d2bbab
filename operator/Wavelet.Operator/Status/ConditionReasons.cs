namespace Wavelet.Operator.Status;

/// <summary>Every condition reason the operator writes. docs/design/operator.md lists them; a test keeps the two in step.</summary>
public static class ConditionReasons
{
    // Success
    public const string Available = "Available";
    public const string Synced = "Synced";
    public const string Converged = "Converged";
    public const string NotStalled = "NotStalled";

    // Progress
    public const string RollingOut = "RollingOut";
    public const string WaitingForDdl = "WaitingForDdl";

    // Spec problems (Stalled: no retry until the spec changes)
    public const string InvalidSpec = "InvalidSpec";
    public const string ImageNotAllowed = "ImageNotAllowed";

    // Retried with backoff
    public const string SecretNotFound = "SecretNotFound";
    public const string RisingWaveUnreachable = "RisingWaveUnreachable";
    public const string DdlFailed = "DdlFailed";
    public const string SchemaOwnedElsewhere = "SchemaOwnedElsewhere";
    public const string SourceUnreachable = "SourceUnreachable";
    public const string SourceWalLevelNotLogical = "SourceWalLevelNotLogical";
    public const string SchemaNotEmpty = "SchemaNotEmpty";
    public const string SchemaClaimConflict = "SchemaClaimConflict";
    public const string InvalidConnectionUrl = "InvalidConnectionUrl";
    public const string ReadOutsideSchema = "ReadOutsideSchema";
    public const string DestructiveChangeBlocked = "DestructiveChangeBlocked";
    public const string ApplyFailed = "ApplyFailed";
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";

    // Lifecycle
    public const string Suspended = "Suspended";
    public const string DeletionBlocked = "DeletionBlocked";

    public static IReadOnlyList<string> All { get; } =
    [
        Available, Synced, Converged, NotStalled, RollingOut, WaitingForDdl, InvalidSpec, ImageNotAllowed, SecretNotFound,
        RisingWaveUnreachable, DdlFailed, SchemaOwnedElsewhere, SchemaNotEmpty, SchemaClaimConflict, InvalidConnectionUrl, ReadOutsideSchema,
        SourceUnreachable, SourceWalLevelNotLogical, DestructiveChangeBlocked, ApplyFailed, ProgressDeadlineExceeded,
        Suspended, DeletionBlocked,
    ];
}
