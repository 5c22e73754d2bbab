namespace Wavelet.Operator.Children;

/// <summary>
/// Which data-plane images a project may ask for in spec.dataPlane.image. Whoever may edit a project could otherwise
/// run any image with the project's Secrets in its environment. Entries: "*" (any image), a registry or path prefix
/// ending in "/" (e.g. "registry.corp.example/wavelet/"), or a repository (any tag or digest of it). Empty: only the
/// repository of the operator's default data-plane image.
/// </summary>
public sealed class ImagePolicy(IReadOnlyList<string> allowed, string defaultImage)
{
    private readonly IReadOnlyList<string> _allowed = allowed.Count > 0 ? allowed : [Repository(defaultImage)];

    public IReadOnlyList<string> Allowed => _allowed;

    public bool IsAllowed(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var repository = Repository(image);
        return _allowed.Any(entry => entry == "*"
            || (entry.EndsWith('/') ? repository.StartsWith(entry, StringComparison.Ordinal) : repository == Repository(entry)));
    }

    /// <summary>The image without its tag or digest: "r.io/a/b:1@sha256:…" → "r.io/a/b" (a registry port's ':' is kept).</summary>
    public static string Repository(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? image : image[..at];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }
}
