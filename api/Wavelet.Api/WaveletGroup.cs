namespace Wavelet.Api;

/// <summary>Names of the WaveletProject custom resource.</summary>
public static class WaveletGroup
{
    public const string Group = "wavelet.risingwave.com";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
    public const string Kind = "WaveletProject";
    public const string ListKind = "WaveletProjectList";
    public const string Plural = "waveletprojects";
    public const string Singular = "waveletproject";
    public const string CrdName = Plural + "." + Group;
    public static readonly IReadOnlyList<string> ShortNames = ["wavelet", "wavelets", "wl"];
    public static readonly IReadOnlyList<string> Categories = ["wavelet"];

    /// <summary>Annotation that pauses reconciliation when set to "disabled".</summary>
    public const string ReconcileAnnotation = Group + "/reconcile";

    /// <summary>Finalizer that guards RisingWave cleanup.</summary>
    public const string Finalizer = Group + "/finalizer";
}
