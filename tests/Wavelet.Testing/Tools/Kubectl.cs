namespace Wavelet.Testing.Tools;

/// <summary>Runs the real kubectl binary (see <see cref="KubeTools"/>) against the cluster a kubeconfig names.</summary>
public static class Kubectl
{
    /// <summary>`kubectl --kubeconfig <paramref name="kubeconfig"/> <paramref name="arguments"/>`; stdin serves `-f -`.</summary>
    public static async Task<ToolRun> RunAsync(
        string kubeconfig, IReadOnlyList<string> arguments, string? standardInput = null, CancellationToken cancellationToken = default)
    {
        var tools = await KubeTools.GetAsync(cancellationToken);
        return await ToolRun.RunAsync(tools.Kubectl, ["--kubeconfig", kubeconfig, .. arguments], standardInput, cancellationToken);
    }
}
