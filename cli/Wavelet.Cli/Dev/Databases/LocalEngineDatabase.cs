namespace Wavelet.Cli.Dev.Databases;

/// <summary>The embedded default: the local engine over a PostgreSQL server of dev's own.</summary>
public sealed class LocalEngineDatabase(LocalEngineHost host) : IDevDatabase
{
    public string Url => host.Url;

    public string Description => $"local engine at {host.Url} (RisingWave's protocol subset over PostgreSQL; see docs/local-engine.md)";

    public ValueTask DisposeAsync() => host.DisposeAsync();
}
