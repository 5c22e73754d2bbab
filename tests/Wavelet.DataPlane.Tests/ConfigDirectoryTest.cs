namespace Wavelet.DataPlane.Tests;

/// <summary>
/// Base of the suites whose data plane live-reloads its config from a ConfigMap-like directory: every write is an atomic
/// ..data symlink swap, as the kubelet makes it.
/// </summary>
public abstract class ConfigDirectoryTest(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    private DataPlaneServer? _server;

    private protected KubernetesConfigDirectory Files { get; } = new();

    private protected RisingWaveFixture Rw => rw;

    private protected DataPlaneServer Server => _server ?? throw new InvalidOperationException("the test has not started its server");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Files.Dispose();
    }

    /// <summary>Starts the server with its config in <see cref="Files"/>.</summary>
    private protected async Task StartServerAsync(Action<DataPlaneConfig>? configure = null) =>
        _server = await DataPlaneServer.StartAsync(rw, Files, configure);

    /// <summary>Writes a copy of <paramref name="config"/> changed by <paramref name="change"/>.</summary>
    private protected void WriteChanged(DataPlaneConfig config, Action<DataPlaneConfig> change)
    {
        var copy = KubernetesConfigDirectory.Clone(config);
        change(copy);
        Files.Write(copy);
    }
}
