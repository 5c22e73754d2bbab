namespace Wavelet.Testing.Kubernetes.Http;

/// <summary>What a request's Accept header asks for: a Table, aggregated discovery, or plain JSON.</summary>
internal static class MediaTypes
{
    public const string Json = "application/json";

    /// <summary>True when one of the accepted types is <c>application/json;as=Table;g=meta.k8s.io;v=v1</c> (or v1beta1).</summary>
    public static bool WantsTable(string accept) => Accepted(accept).Any(t => t.Parameters.GetValueOrDefault("as") == "Table" && t.Parameters.GetValueOrDefault("g") == "meta.k8s.io");

    /// <summary>True when aggregated discovery (apidiscovery.k8s.io/v2 APIGroupDiscoveryList) is acceptable.</summary>
    public static bool WantsAggregatedDiscovery(string accept) => Accepted(accept).Any(t =>
        t.Parameters.GetValueOrDefault("as") == "APIGroupDiscoveryList" && t.Parameters.GetValueOrDefault("g") == "apidiscovery.k8s.io" && t.Parameters.GetValueOrDefault("v") == "v2");

    /// <summary>True when a JSON answer is acceptable (JSON, any type, or no Accept at all).</summary>
    public static bool AcceptsJson(string accept) =>
        accept.Length == 0 || Accepted(accept).Any(t => t.Type is Json or "*/*" or "application/*" && !t.Parameters.ContainsKey("as"));

    private static IEnumerable<(string Type, Dictionary<string, string> Parameters)> Accepted(string accept) =>
        accept.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(entry =>
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
            return (parts[0], parameters);
        });
}
