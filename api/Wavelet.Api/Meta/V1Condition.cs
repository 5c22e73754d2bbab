namespace Wavelet.Api.Meta;

/// <summary>A metav1.Condition: kstatus-compatible status condition.</summary>
public sealed class V1Condition
{
    /// <summary>CamelCase condition type, e.g. Ready.</summary>
    public string Type { get; set; } = "";

    /// <summary>True, False or Unknown.</summary>
    public string Status { get; set; } = ConditionStatus.Unknown;

    public long? ObservedGeneration { get; set; }

    /// <summary>When <see cref="Status"/> last changed (not when the message changed).</summary>
    public DateTimeOffset LastTransitionTime { get; set; }

    /// <summary>CamelCase, never empty.</summary>
    public string Reason { get; set; } = "";

    public string Message { get; set; } = "";
}

public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}
