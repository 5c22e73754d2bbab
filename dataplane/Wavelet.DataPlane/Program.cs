using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Hosting;

// Usage: Wavelet.DataPlane --config <config.json> [--urls http://0.0.0.0:8080]; the database URL comes from the
// environment variable the config names (default WAVELET_DATABASE_URL).
var path = DataPlaneHost.ConfigPath(args);
if (path is null)
{
    await Console.Error.WriteLineAsync($"wavelet-dataplane: no config: pass --config <file> or set {DataPlaneHost.ConfigVariable}");
    return 2;
}

try
{
    var (config, file) = await ConfigLoader.ReadFileAsync(path, CancellationToken.None);
    var app = DataPlaneHost.Build(config, DataPlaneHost.RemainingArgs(args), file: file);
    await app.RunAsync();
    return 0;
}
catch (InvalidConfigException e)
{
    await Console.Error.WriteLineAsync($"wavelet-dataplane: {e.Message}");
    return 2;
}

/// <summary>Entry point, visible to WebApplicationFactory-style tests.</summary>
public partial class Program;
