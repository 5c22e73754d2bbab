namespace Wavelet.Api.Meta;

/// <summary>The values of a metav1.Condition's status.</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}
