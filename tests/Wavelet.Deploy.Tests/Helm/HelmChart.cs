namespace Wavelet.Deploy.Tests.Helm;

/// <summary>
/// The chart under test, rendered the way `helm template` would for the template subset it uses. The helm binary is not
/// available on the project's machines, so this is how the templates get exercised.
/// </summary>
internal sealed class HelmChart
{
    private readonly Dictionary<string, IReadOnlyList<TemplateNode>> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<TemplateNode>> _defines = new(StringComparer.Ordinal);

    public HelmChart(string directory)
    {
        Directory = directory;
        Metadata = (IDictionary<string, object?>)YamlValues.LoadFile(Path.Combine(directory, "Chart.yaml"))!;
        DefaultValues = (IDictionary<string, object?>)YamlValues.LoadFile(Path.Combine(directory, "values.yaml"))!;
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(directory, "templates")).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var nodes = TemplateParser.Parse(File.ReadAllText(file), name);
            foreach (var define in nodes.OfType<DefineNode>())
            {
                _defines[define.Name] = define.Body;
            }

            if (name.EndsWith(".yaml", StringComparison.Ordinal))
            {
                _templates[name] = nodes;
            }
            else if (name == "NOTES.txt")
            {
                Notes = nodes;
            }
        }
    }

    public static HelmChart Load() => new(RepositoryRoot.Combine("charts", "wavelet-operator"));

    public string Directory { get; }

    public IDictionary<string, object?> Metadata { get; }

    public IDictionary<string, object?> DefaultValues { get; }

    public IReadOnlyList<TemplateNode> Notes { get; private set; } = [];

    public IReadOnlyCollection<string> TemplateNames => _templates.Keys;

    /// <summary>Renders every template with the default values deep-merged with <paramref name="overrides"/>.</summary>
    public IReadOnlyDictionary<string, string> Render(IDictionary<string, object?>? overrides = null)
    {
        var root = RootContext(overrides);
        var renderer = new TemplateRenderer(_defines);
        return _templates.ToDictionary(kv => kv.Key, kv => renderer.Render(kv.Value, root), StringComparer.Ordinal);
    }

    public string RenderNotes(IDictionary<string, object?>? overrides = null) =>
        new TemplateRenderer(_defines).Render(Notes, RootContext(overrides));

    /// <summary>Every object the chart renders, parsed from YAML (rendering fails if any template is not valid YAML).</summary>
    public IReadOnlyList<IDictionary<string, object?>> RenderObjects(IDictionary<string, object?>? overrides = null) =>
        Render(overrides).SelectMany(kv => ParseOrThrow(kv.Key, kv.Value)).ToList();

    private static IEnumerable<IDictionary<string, object?>> ParseOrThrow(string template, string yaml)
    {
        try
        {
            return YamlValues.LoadDocuments(yaml).Cast<IDictionary<string, object?>>().ToList();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidOperationException($"{template} does not render to valid YAML: {e.Message}\n{yaml}", e);
        }
    }

    private Dictionary<string, object?> RootContext(IDictionary<string, object?>? overrides) => new(StringComparer.Ordinal)
    {
        ["Values"] = Merge(DefaultValues, overrides),
        ["Release"] = new Dictionary<string, object?> { ["Name"] = "wavelet", ["Namespace"] = "wavelet-system", ["Service"] = "Helm" },
        ["Chart"] = new Dictionary<string, object?>
        {
            ["Name"] = Metadata["name"], ["Version"] = Metadata["version"], ["AppVersion"] = Metadata["appVersion"],
        },
    };

    public static IDictionary<string, object?> Merge(IDictionary<string, object?> defaults, IDictionary<string, object?>? overrides)
    {
        var merged = new Dictionary<string, object?>(defaults, StringComparer.Ordinal);
        foreach (var (key, value) in overrides ?? new Dictionary<string, object?>())
        {
            merged[key] = value is IDictionary<string, object?> child && merged.GetValueOrDefault(key) is IDictionary<string, object?> existing
                ? Merge(existing, child)
                : value;
        }

        return merged;
    }
}
