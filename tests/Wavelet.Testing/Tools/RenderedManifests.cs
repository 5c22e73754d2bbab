namespace Wavelet.Testing.Tools;

/// <summary>The Kubernetes objects of a multi-document YAML stream (e.g. `helm template` output), as plain values.</summary>
public sealed class RenderedManifests
{
    private RenderedManifests(IReadOnlyList<IDictionary<string, object?>> documents) => Documents = documents;

    public IReadOnlyList<IDictionary<string, object?>> Documents { get; }

    public IEnumerable<string> Kinds => Documents.Select(KindOf);

    public static RenderedManifests Parse(string yaml) =>
        new(YamlValues.LoadDocuments(yaml).Cast<IDictionary<string, object?>>().ToList());

    public static string KindOf(IDictionary<string, object?> document) => document.TryGetValue("kind", out var kind) ? kind as string ?? "" : "";

    public static string NameOf(IDictionary<string, object?> document) => YamlValues.At(document, "metadata.name") as string ?? "";

    public IEnumerable<IDictionary<string, object?>> OfKind(string kind) => Documents.Where(d => KindOf(d) == kind);

    public IDictionary<string, object?>? Find(string kind, string name) => OfKind(kind).SingleOrDefault(d => NameOf(d) == name);

    public IDictionary<string, object?> Get(string kind, string name) =>
        Find(kind, name) ?? throw new InvalidOperationException($"No {kind} {name}; rendered: {Describe()}.");

    /// <summary>The one object of <paramref name="kind"/>; throws when there is none or more than one.</summary>
    public IDictionary<string, object?> Single(string kind)
    {
        var matches = OfKind(kind).ToList();
        return matches.Count == 1 ? matches[0] : throw new InvalidOperationException($"Expected one {kind}, found {matches.Count}; rendered: {Describe()}.");
    }

    private string Describe() => string.Join(", ", Documents.Select(d => $"{KindOf(d)}/{NameOf(d)}"));
}
