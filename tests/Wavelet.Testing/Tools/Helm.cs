namespace Wavelet.Testing.Tools;

/// <summary>Runs the real helm binary (see <see cref="KubeTools"/>).</summary>
public static class Helm
{
    public static async Task<ToolRun> RunAsync(
        IReadOnlyList<string> arguments, string? standardInput = null, CancellationToken cancellationToken = default)
    {
        var tools = await KubeTools.GetAsync(cancellationToken);
        return await ToolRun.RunAsync(tools.Helm, arguments, standardInput, cancellationToken);
    }

    /// <summary>`helm template`: renders <paramref name="chart"/> offline; <paramref name="valuesYaml"/> is passed as a values file.</summary>
    public static Task<ToolRun> TemplateAsync(
        string chart, string release, string @namespace, string? valuesYaml = null, CancellationToken cancellationToken = default) =>
        RunAsync(["template", release, chart, "--namespace", @namespace, .. ValuesArguments(valuesYaml)], valuesYaml, cancellationToken);

    /// <summary>The documents `helm template` renders; throws with helm's message when it fails.</summary>
    public static async Task<RenderedManifests> RenderAsync(
        string chart, string release, string @namespace, string? valuesYaml = null, CancellationToken cancellationToken = default)
    {
        var run = (await TemplateAsync(chart, release, @namespace, valuesYaml, cancellationToken)).EnsureSuccess();
        return RenderedManifests.Parse(run.Output);
    }

    /// <summary>`helm lint --strict`: warnings fail too.</summary>
    public static Task<ToolRun> LintStrictAsync(string chart, string? valuesYaml = null, CancellationToken cancellationToken = default) =>
        RunAsync(["lint", "--strict", chart, .. ValuesArguments(valuesYaml)], valuesYaml, cancellationToken);

    /// <summary>The rendered NOTES.txt, from `helm install --dry-run=client` (no cluster is contacted).</summary>
    public static async Task<string> NotesAsync(
        string chart, string release, string @namespace, string? valuesYaml = null, CancellationToken cancellationToken = default)
    {
        var run = (await RunAsync(
            ["install", release, chart, "--namespace", @namespace, "--dry-run=client", "--output", "json", .. ValuesArguments(valuesYaml)],
            valuesYaml, cancellationToken)).EnsureSuccess();
        using var installed = System.Text.Json.JsonDocument.Parse(run.Output);
        return installed.RootElement.GetProperty("info").GetProperty("notes").GetString() ?? "";
    }

    /// <summary>Values go through stdin (`-f -`), so no temporary file is left behind.</summary>
    private static string[] ValuesArguments(string? valuesYaml) => valuesYaml is null ? [] : ["--values", "-"];
}
