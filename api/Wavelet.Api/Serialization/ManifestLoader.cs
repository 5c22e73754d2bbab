using System.Reflection;
using k8s.Models;
using YamlDotNet.Core;

namespace Wavelet.Api.Serialization;

/// <summary>
/// Reads Kubernetes manifests (one or more YAML documents) into the C# types. YAML becomes JSON first, so the
/// camelCase names of <see cref="KubernetesJson"/> apply exactly as on the API server. Unknown spec fields are errors
/// (a misspelt field would otherwise be silently dropped).
/// </summary>
public static class ManifestLoader
{
    private static readonly JsonSerializerOptions StrictOptions = new(KubernetesJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly HashSet<string> KnownMetadataFields = new(
        typeof(V1ObjectMeta).GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name)),
        StringComparer.Ordinal);

    public static Manifests LoadFile(string path) => Load(File.ReadAllText(path), path);

    public static Manifests Load(string yaml, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var where = source ?? "manifest";
        var manifests = new Manifests();
        try
        {
            foreach (var document in YamlToJson.Read(yaml))
            {
                AddDocument(manifests, document, where);
            }
        }
        catch (YamlException e)
        {
            var line = (int)e.Start.Line;
            throw new ManifestException($"{where}: line {line}: malformed YAML: {YamlMessage(e)}", e) { Line = line };
        }
        catch (InvalidOperationException e) when (e.Source == "YamlDotNet")
        {
            // YamlDotNet's scanner reports some unterminated flow collections this way instead of with a YamlException.
            throw new ManifestException($"{where}: malformed YAML: unterminated flow collection or scalar ({e.Message}); check brackets and quotes", e);
        }

        return manifests;
    }

    private static void AddDocument(Manifests manifests, YamlToJson.Document document, string where)
    {
        if (document.Root is null)
        {
            return;
        }

        var at = $"{where}: document {document.Index} (line {LineOf(document, "$")})";
        if (document.Root is not JsonObject root)
        {
            throw new ManifestException($"{at}: expected a Kubernetes object (a mapping with apiVersion and kind)") { Line = document.Line };
        }

        var kind = (root["kind"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? root["kind"]!.GetValue<string>() : null;
        var apiVersion = (root["apiVersion"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? root["apiVersion"]!.GetValue<string>() : null;
        if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion))
        {
            throw new ManifestException($"{at}: apiVersion and kind are required") { Line = document.Line };
        }

        switch (kind)
        {
            case WaveletGroup.Kind when apiVersion == WaveletGroup.ApiVersion:
                DropUnknownMetadata(root);
                manifests.Projects.Add(Convert<WaveletProject>(root, document, at, StrictOptions));
                break;
            case WaveletGroup.Kind:
                throw new ManifestException($"{at}: apiVersion \"{apiVersion}\" is not served for {WaveletGroup.Kind}; use {WaveletGroup.ApiVersion}") { Line = document.Line };
            case "Secret" when apiVersion == "v1":
                manifests.Secrets.Add(Convert<V1Secret>(root, document, at, KubernetesJson.Options));
                break;
            default:
                manifests.Others.Add(root);
                break;
        }
    }

    // Metadata the API server fills in (managedFields, selfLink, ...) is irrelevant here; only spec typos matter.
    private static void DropUnknownMetadata(JsonObject root)
    {
        if (root["metadata"] is JsonObject metadata)
        {
            foreach (var key in metadata.Select(p => p.Key).Where(k => !KnownMetadataFields.Contains(k)).ToList())
            {
                metadata.Remove(key);
            }
        }
    }

    private static T Convert<T>(JsonObject root, YamlToJson.Document document, string at, JsonSerializerOptions options)
        where T : class
    {
        try
        {
            return root.Deserialize<T>(options) ?? throw new ManifestException($"{at}: empty object");
        }
        catch (JsonException e)
        {
            var path = e.Path ?? "$";
            var unknownField = UnknownField(e.Message);
            if (unknownField is not null && !path.EndsWith("." + unknownField, StringComparison.Ordinal))
            {
                path = path + "." + unknownField;
            }

            var line = LineOf(document, path);
            var field = path == "$" ? "(root)" : path.TrimStart('$', '.');
            var problem = unknownField is not null
                ? $"unknown field \"{unknownField}\"; check its spelling against docs/api.md"
                : $"has the wrong type; expected {ExpectedType(e.Message)}";
            throw new ManifestException($"{at}: line {line}: {field}: {problem}", e) { Line = line };
        }
    }

    private static int LineOf(YamlToJson.Document document, string path)
    {
        for (var candidate = path; candidate.Length > 0; candidate = Parent(candidate))
        {
            if (document.Lines.TryGetValue(candidate, out var line))
            {
                return line;
            }
        }

        return document.Line;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    private static string? UnknownField(string message)
    {
        const string marker = "The JSON property '";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0 || !message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return null;
        }

        start += marker.Length;
        var end = message.IndexOf('\'', start);
        return end < 0 ? null : message[start..end];
    }

    private static string ExpectedType(string message) => message switch
    {
        _ when message.Contains("System.String", StringComparison.Ordinal) => "a string (quote the value)",
        _ when message.Contains("System.Int", StringComparison.Ordinal) => "a whole number",
        _ when message.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
        _ when message.Contains("System.DateTimeOffset", StringComparison.Ordinal) => "an RFC 3339 time",
        _ when message.Contains("List`1", StringComparison.Ordinal) => "a list",
        _ when message.Contains("Dictionary`2", StringComparison.Ordinal) => "a mapping of strings",
        _ when message.Contains("whole number or a string", StringComparison.Ordinal) => "a whole number or a string such as \"50%\"",
        _ => "a mapping with the fields listed in docs/api.md",
    };

    private static string YamlMessage(YamlException e)
    {
        // YamlDotNet prefixes messages with "(Line: a, Col: b, Idx: c) - (Line: ...): "; the line is reported separately.
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(cut + 3)..] : message;
    }
}
