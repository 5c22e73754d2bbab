using System.Diagnostics;

namespace Wavelet.Deploy.Tests;

public sealed class ArgoCdHealthCheckTests
{
    private static readonly string Script = RepositoryRoot.Combine("examples", "gitops", "argocd", "waveletproject-health.lua");

    [Fact]
    public async Task Lua_health_check_maps_every_sample_status()
    {
        var lua = FindLua() ?? throw new InvalidOperationException(
            "lua5.4 is not installed; install Debian's lua5.4 package (apt-get install lua5.4) — .ci/run does it.");
        var start = new ProcessStartInfo(lua, [RepositoryRoot.Combine("tests", "gitops", "health_test.lua"), Script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, output + errors);
        Assert.Contains("10 cases, 0 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Argocd_configmap_patch_carries_the_same_script()
    {
        var patch = (IDictionary<string, object?>)YamlValues.LoadFile(
            RepositoryRoot.Combine("examples", "gitops", "argocd", "argocd-cm-health.yaml"))!;
        var data = (IDictionary<string, object?>)patch["data"]!;
        var inline = (string)data["resource.customizations.health.wavelet.risingwave.com_WaveletProject"]!;

        Assert.Equal(File.ReadAllText(Script).TrimEnd(), inline.TrimEnd());
    }

    private static string? FindLua() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "lua5.4")).FirstOrDefault(File.Exists);
}
