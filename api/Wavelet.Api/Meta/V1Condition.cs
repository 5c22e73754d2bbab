using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Wavelet.Api.Meta;

/// <summary>A metav1.Condition: kstatus-compatible status condition.</summary>
public sealed class V1Condition
{
    /// <summary>CamelCase condition type, e.g. Ready.</summary>
    [Required, MaxLength(316)]
    [Description("Condition type in CamelCase, e.g. Ready.")]
    public string Type { get; set; } = "";

    /// <summary>True, False or Unknown.</summary>
    [Required, AllowedValues(ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown)]
    [Description("True, False or Unknown.")]
    public string Status { get; set; } = ConditionStatus.Unknown;

    [Description("metadata.generation the condition was set for.")]
    public long? ObservedGeneration { get; set; }

    /// <summary>When <see cref="Status"/> last changed (not when the message changed).</summary>
    [Required]
    [Description("When status last changed.")]
    public DateTimeOffset LastTransitionTime { get; set; }

    /// <summary>CamelCase, never empty.</summary>
    [Required, MaxLength(1024)]
    [Description("Machine-readable reason in CamelCase.")]
    public string Reason { get; set; } = "";

    [Required, MaxLength(32768)]
    [Description("Human-readable explanation, with what to do when something is wrong.")]
    public string Message { get; set; } = "";
}

public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}
