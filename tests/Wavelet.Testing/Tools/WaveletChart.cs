namespace Wavelet.Testing.Tools;

/// <summary>The repository's chart (charts/wavelet-operator), rendered and linted by the real helm as release "wavelet".</summary>
public static class WaveletChart
{
    public const string Release = "wavelet";
    public const string Namespace = "wavelet-system";

    public static string Directory { get; } = RepositoryRoot.Combine("charts", "wavelet-operator");

    /// <summary>Every object `helm template` renders with the chart's values overridden by <paramref name="valuesYaml"/>.</summary>
    public static Task<RenderedManifests> RenderAsync(string? valuesYaml = null, CancellationToken cancellationToken = default) =>
        Helm.RenderAsync(Directory, Release, Namespace, valuesYaml, cancellationToken);

    /// <summary>The raw `helm template` run, for tests that expect helm to refuse the values.</summary>
    public static Task<ToolRun> TemplateAsync(string? valuesYaml = null, CancellationToken cancellationToken = default) =>
        Helm.TemplateAsync(Directory, Release, Namespace, valuesYaml, cancellationToken);

    public static Task<ToolRun> LintStrictAsync(string? valuesYaml = null, CancellationToken cancellationToken = default) =>
        Helm.LintStrictAsync(Directory, valuesYaml, cancellationToken);

    public static Task<string> NotesAsync(string? valuesYaml = null, CancellationToken cancellationToken = default) =>
        Helm.NotesAsync(Directory, Release, Namespace, valuesYaml, cancellationToken);
}
