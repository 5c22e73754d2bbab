namespace Wavelet.Deploy.Tests;

/// <summary>The tools the chart and cluster tests run are the pinned real binaries, and kubectl talks to the kubeconfig given.</summary>
public sealed class KubeToolsTests
{
    [KubeToolsFact]
    public async Task Helm_4_1_4_and_kubectl_1_35_are_the_binaries_run()
    {
        var helm = (await Helm.RunAsync(["version", "--template", "{{.Version}}"])).EnsureSuccess();
        var kubectl = (await Kubectl.RunAsync("/dev/null", ["version", "--client"])).EnsureSuccess();

        Assert.Equal("v4.1.4", helm.Output.Trim());
        Assert.StartsWith("Client Version: v1.35.", kubectl.Output, StringComparison.Ordinal);
    }

    [KubeToolsFact]
    public async Task Kubectl_reads_the_kubeconfig_it_is_given()
    {
        var kubeconfig = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: fake, cluster: {server: "http://127.0.0.1:1"}}]
                users: [{name: tester, user: {token: t}}]
                contexts: [{name: fake-context, context: {cluster: fake, user: tester}}]
                current-context: fake-context
                """);

            var context = (await Kubectl.RunAsync(kubeconfig, ["config", "current-context"])).EnsureSuccess();
            var unreachable = await Kubectl.RunAsync(kubeconfig, ["get", "namespaces", "--request-timeout=5s"]);

            Assert.Equal("fake-context", context.Output.Trim());
            Assert.False(unreachable.Succeeded);
            Assert.Contains("127.0.0.1:1", unreachable.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
