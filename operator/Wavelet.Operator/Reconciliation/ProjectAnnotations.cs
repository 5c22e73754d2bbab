namespace Wavelet.Operator.Reconciliation;

/// <summary>Annotations and the finalizer the operator understands on a WaveletProject.</summary>
public static class ProjectAnnotations
{
    /// <summary>Set to "disabled" to pause reconciliation entirely (nothing is read or written).</summary>
    public const string Reconcile = "wavelet.risingwave.com/reconcile";
    public const string ReconcileDisabled = "disabled";

    /// <summary>Set to "true" on a deleting project to release the finalizer without dropping its RisingWave objects.</summary>
    public const string ForceRelease = "wavelet.risingwave.com/force-release";

    public const string Finalizer = "wavelet.risingwave.com/finalizer";
}
