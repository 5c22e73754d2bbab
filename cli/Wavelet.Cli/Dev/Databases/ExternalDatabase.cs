namespace Wavelet.Cli.Dev.Databases;

/// <summary>A RisingWave that was already running (given by URL); dev starts and stops nothing for it.</summary>
public sealed class ExternalDatabase(DatabaseUrl url) : IDevDatabase
{
    public string Url => url.Url;

    public string Description => $"RisingWave at {url}";

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
