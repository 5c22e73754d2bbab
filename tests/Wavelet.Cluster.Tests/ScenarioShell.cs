namespace Wavelet.Cluster.Tests;

/// <summary>Runs kubectl and helm against a session's cluster and writes every command with what it printed to the test output.</summary>
public sealed class ScenarioShell(ClusterSession session, ITestOutputHelper? output)
{
    public async Task<ToolRun> KubectlAsync(params string[] arguments) => await KubectlWithInputAsync(null, arguments);

    public async Task<ToolRun> KubectlWithInputAsync(string? standardInput, params string[] arguments)
    {
        var run = await Kubectl.RunAsync(session.Backend.Kubeconfig, ["--cache-dir", session.KubectlCacheDirectory, .. arguments], standardInput);
        Record($"kubectl {string.Join(' ', arguments)}", run);
        return run;
    }

    public async Task<ToolRun> HelmAsync(params string[] arguments)
    {
        var run = await Helm.RunAsync(["--kubeconfig", session.Backend.Kubeconfig, .. arguments], null, session.HelmEnvironment);
        Record($"helm {string.Join(' ', arguments)}", run);
        return run;
    }

    private void Record(string command, ToolRun run) =>
        output?.WriteLine($"$ {command}\n{run.Output}{(run.Error.Length > 0 ? run.Error : "")}(exit {run.ExitCode})\n");
}
