namespace Wavelet.DataPlane.Feed;

/// <summary>RisingWave error texts that mean the retained history no longer covers our position.</summary>
public static class RisingWaveErrors
{
    public static bool MeansStartOver(Exception e) =>
        e.Message.Contains("rw_timestamp is too small", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("data may have been recycled", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("exceeded its maximum lifetime", StringComparison.OrdinalIgnoreCase);
}
