namespace Wavelet.Testing.Kubernetes.Http;

/// <summary>A parsed API path: /api/v1[/namespaces/{ns}]/{resource}[/{name}[/{sub}]] or /apis/{group}/{version}/...</summary>
internal sealed record FakeApiPath(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)
{
    private static readonly HashSet<string> NamespaceSubresources = new(StringComparer.Ordinal) { "status", "finalize" };

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public static FakeApiPath? Parse(string path)
    {
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        int rest;
        string group, version;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var tail = segments[rest..];
        string? ns = null;
        var namespaceSubresource = tail.Length == 3 && tail[0] == "namespaces" && group.Length == 0 && NamespaceSubresources.Contains(tail[2]);
        if (tail.Length >= 3 && tail[0] == "namespaces" && !namespaceSubresource)
        {
            ns = tail[1];
            tail = tail[2..];
        }

        return tail.Length switch
        {
            1 => new FakeApiPath(group, version, ns, tail[0], null, null),
            2 => new FakeApiPath(group, version, ns, tail[0], tail[1], null),
            3 => new FakeApiPath(group, version, ns, tail[0], tail[1], tail[2]),
            _ => null,
        };
    }
}
