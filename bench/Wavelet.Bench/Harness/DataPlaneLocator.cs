using Wavelet.Testing.Tools;

namespace Wavelet.Bench.Harness;

/// <summary>Finds the data plane's built dll: an explicit path, else the repository's Release (then Debug) build output.</summary>
public static class DataPlaneLocator
{
    public const string EnvironmentVariable = "WAVELET_BENCH_DATAPLANE";

    public static string Locate(string? explicitPath)
    {
        var path = explicitPath ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (path is not null)
        {
            return File.Exists(path)
                ? Path.GetFullPath(path)
                : throw new BenchSetupException($"data plane dll '{path}' does not exist: build it with `dotnet build dataplane/Wavelet.DataPlane -c Release` or pass the right --dataplane path");
        }

        var root = RepositoryRoot.OrNull ?? throw new BenchSetupException($"cannot find the repository (Wavelet.Operator.sln) above {AppContext.BaseDirectory}: pass --dataplane <path to Wavelet.DataPlane.dll>");
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var candidate = Path.Combine(root, "dataplane", "Wavelet.DataPlane", "bin", configuration, "net10.0", "Wavelet.DataPlane.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new BenchSetupException($"no built data plane under {root}/dataplane/Wavelet.DataPlane/bin: run `dotnet build dataplane/Wavelet.DataPlane -c Release` first, or pass --dataplane <path to Wavelet.DataPlane.dll>");
    }
}
