namespace Wavelet.Testing.RisingWave;

/// <summary>A test that only means something against a real RisingWave; skipped with a how-to message otherwise.</summary>
public sealed class RealRisingWaveFactAttribute : FactAttribute
{
    public RealRisingWaveFactAttribute()
    {
        if (RealSystems.RisingWaveUrl is null)
        {
            Skip = RealSystems.RisingWaveSkipMessage;
        }
    }
}
