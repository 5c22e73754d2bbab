namespace Wavelet.Cli.Dev.Databases;

/// <summary>The RisingWave (or local engine) `wavelet dev` runs against; disposing stops whatever dev started for it.</summary>
public interface IDevDatabase : IAsyncDisposable
{
    /// <summary>postgres:// URL for the DDL sync and the data plane.</summary>
    string Url { get; }

    /// <summary>One line for the banner: what it is and where it came from.</summary>
    string Description { get; }
}
