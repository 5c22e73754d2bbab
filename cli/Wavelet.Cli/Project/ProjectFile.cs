using Wavelet.Api.Meta;
using Wavelet.Api.Serialization;
using Wavelet.Api.Validation;

namespace Wavelet.Cli.Project;

/// <summary>
/// A WaveletProject file as the operator would read it: any number of YAML documents (Secrets included), one project
/// chosen by name when several are present, validated with the same rules as the operator.
/// </summary>
public sealed class ProjectFile
{
    public const string DefaultFileName = "wavelet.yaml";

    private ProjectFile(string path, Manifests manifests, WaveletProject project)
    {
        Path = path;
        Manifests = manifests;
        Project = project;
    }

    /// <summary>Absolute path of the file.</summary>
    public string Path { get; }

    public Manifests Manifests { get; }

    public WaveletProject Project { get; }

    public string Schema => WaveletProjectDefaults.EffectiveSchema(Project);

    /// <summary>Reads, parses and validates; a <see cref="CliException"/> lists every problem with its field path.</summary>
    public static ProjectFile Load(string path, string? projectName)
    {
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var hint = File.Exists(path) || Directory.Exists(System.IO.Path.GetDirectoryName(path)) ? "" : " (wavelet init creates a starter file)";
            throw new CliException($"cannot read {path}: {e.Message}{hint}", e, ExitCodes.Failed);
        }

        return Parse(yaml, path, projectName);
    }

    public static ProjectFile Parse(string yaml, string path, string? projectName)
    {
        Manifests manifests;
        try
        {
            manifests = ManifestLoader.Load(yaml, path);
        }
        catch (ManifestException e)
        {
            throw new CliException(e.Message, e, ExitCodes.Failed);
        }

        var candidates = manifests.Projects.Where(p => projectName is null || p.Metadata.Name == projectName).ToList();
        var project = candidates.Count switch
        {
            1 => candidates[0],
            0 when projectName is null => throw new CliException($"{path} holds no WaveletProject (kind: WaveletProject, apiVersion: {Api.WaveletGroup.ApiVersion})", ExitCodes.Failed),
            0 => throw new CliException($"{path} holds no WaveletProject named {projectName} (it holds: {string.Join(", ", manifests.Projects.Select(p => p.Metadata.Name))})", ExitCodes.Failed),
            _ => throw new CliException($"{path} holds {candidates.Count} WaveletProjects ({string.Join(", ", candidates.Select(p => p.Metadata.Name))}); choose one with --project <name>", ExitCodes.Failed),
        };

        var problems = WaveletProjectValidator.Validate(project);
        if (problems.Count > 0)
        {
            throw new CliException($"{path}: {WaveletProjectValidator.Describe(project, problems)}", ExitCodes.Failed);
        }

        return new ProjectFile(path, manifests, project);
    }

    /// <summary>The value of a Secret key the project references, when that Secret is in the same file.</summary>
    /// <summary>The passwords of the project's CDC sources found in the file's Secrets (sources without one are left out).</summary>
    public Wavelet.Ddl.SourceCredentials SourceCredentials() =>
        new(Project.Spec.Sources
            .Select(s => (s.Name, Password: SecretValue(s.Connection?.PasswordSecretRef)))
            .Where(s => s.Password is not null)
            .ToDictionary(s => s.Name, s => s.Password!, StringComparer.Ordinal));

    public string? SecretValue(SecretKeySelector? selector)
    {
        if (selector is null || string.IsNullOrEmpty(selector.Name))
        {
            return null;
        }

        var secret = Manifests.FindSecret(selector.Name, Project.Metadata.NamespaceProperty);
        return secret is not null && secret.TryGetValue(selector.Key, out var value) ? value : null;
    }
}
