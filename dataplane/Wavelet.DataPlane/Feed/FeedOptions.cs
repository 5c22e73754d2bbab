namespace Wavelet.DataPlane.Feed;

/// <summary>How feeds read RisingWave (configuration section <c>DataPlane:Feed</c>); the connection string comes from the config file's database URL.</summary>
public sealed class FeedOptions
{
    public const string Section = "DataPlane:Feed";

    /// <summary>Npgsql connection string of RisingWave (converted from the postgres:// URL in the configured environment variable).</summary>
    public string ConnectionString { get; set; } = "";

    public int FetchSize { get; set; } = 1000;

    public int FetchTimeoutSeconds { get; set; } = 1;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);
}
