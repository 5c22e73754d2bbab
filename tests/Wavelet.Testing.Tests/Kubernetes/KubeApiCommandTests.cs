using Wavelet.Testing.Kubernetes.Standalone;

namespace Wavelet.Testing.Tests.Kubernetes;

/// <summary>The standalone kube-api command: prints the URL and kubeconfig, serves, and cleans up when stopped.</summary>
public sealed class KubeApiCommandTests
{
    [Fact]
    public async Task Serves_until_stopped_and_removes_the_kubeconfig_it_chose()
    {
        using var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = KubeApiCommand.RunAsync(["--port", "0", "--kubelet"], output, TextWriter.Null, stop.Token);
        var kubeconfig = await Eventually.ValueAsync(
            () => Task.FromResult(output.ToString().Split('\n').FirstOrDefault(l => l.StartsWith("kube-api: kubeconfig ", StringComparison.Ordinal))?["kube-api: kubeconfig ".Length..].Trim()),
            "the command prints its kubeconfig");
        var url = output.ToString().Split('\n').First(l => l.StartsWith("kube-api: serving ", StringComparison.Ordinal))["kube-api: serving ".Length..].Trim();
        Assert.Contains($"server: {url}", await File.ReadAllTextAsync(kubeconfig), StringComparison.Ordinal);

        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync(new Uri(url + "/readyz")));

        await stop.CancelAsync();
        Assert.Equal(0, await run);
        Assert.False(File.Exists(kubeconfig));
        Assert.EndsWith("kube-api: stopped\n", output.ToString().Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_argument_exits_2_with_the_usage()
    {
        using var error = new StringWriter();
        Assert.Equal(2, await KubeApiCommand.RunAsync(["--port", "many"], TextWriter.Null, error, CancellationToken.None));
        Assert.Contains("unknown or incomplete argument --port", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("--kubeconfig", error.ToString(), StringComparison.Ordinal);
    }
}
