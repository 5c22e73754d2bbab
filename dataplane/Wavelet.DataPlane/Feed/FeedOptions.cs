namespace Wavelet.DataPlane.Feed;

public sealed class FeedOptions
{
    /// <summary>Npgsql connection string of RisingWave (converted from the postgres:// URL in the configured environment variable).</summary>
    public string ConnectionString { get; set; } = "";

    public int FetchSize { get; set; } = 1000;

    public int FetchTimeoutSeconds { get; set; } = 1;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);
}
