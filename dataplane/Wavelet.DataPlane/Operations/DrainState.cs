namespace Wavelet.DataPlane.Operations;

/// <summary>Set once the pod is leaving: readiness fails and new connections are refused.</summary>
public sealed class DrainState
{
    private int _draining;

    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    /// <summary>Starts draining; false when it had already started (the host is being stopped a second time).</summary>
    public bool Begin() => Interlocked.Exchange(ref _draining, 1) == 0;
}
