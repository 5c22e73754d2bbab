namespace Wavelet.Testing.Kubernetes.Resources;

/// <summary>Reads a CustomResourceDefinition into the resource type it defines, and writes the status the server reports.</summary>
internal static class CustomResourceDefinitions
{
    private static readonly ResourceType CrdType = BuiltInResources.All.Single(t => t.Kind == "CustomResourceDefinition");

    /// <summary>The resource type <paramref name="crd"/> defines; 422 Invalid naming the field when it cannot define one.</summary>
    public static ResourceType ToResourceType(JsonObject crd)
    {
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        var spec = crd["spec"] as JsonObject ?? throw Invalid(name, "spec", "Required value");
        var group = Text(spec["group"]) ?? throw Invalid(name, "spec.group", "Required value");
        var names = spec["names"] as JsonObject ?? throw Invalid(name, "spec.names", "Required value");
        var plural = Text(names["plural"]) ?? throw Invalid(name, "spec.names.plural", "Required value");
        var kind = Text(names["kind"]) ?? throw Invalid(name, "spec.names.kind", "Required value");
        if (name != $"{plural}.{group}")
        {
            throw Invalid(name, "metadata.name", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group");
        }

        var scope = Text(spec["scope"]) ?? throw Invalid(name, "spec.scope", "Required value");
        if (scope is not ("Namespaced" or "Cluster"))
        {
            throw Invalid(name, "spec.scope", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\"");
        }

        var versions = (spec["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0)
        {
            throw Invalid(name, "spec.versions", "Invalid value: null: must have exactly one version marked as storage version");
        }

        var storage = versions.Where(v => v["storage"]?.GetValue<bool>() == true).ToList();
        if (storage.Count != 1)
        {
            throw Invalid(name, "spec.versions", $"Invalid value: {versions.Count}: must have exactly one version marked as storage version");
        }

        var stored = storage[0];
        var schema = stored["schema"]?["openAPIV3Schema"] as JsonObject;
        if (schema is not null && Text(schema["type"]) != "object")
        {
            throw Invalid(name, $"spec.versions[{versions.IndexOf(stored)}].schema.openAPIV3Schema.type", "Required value: must be object at the root");
        }

        var served = versions.Where(v => v["served"]?.GetValue<bool>() != false).Select(v => Text(v["name"])!).ToList();
        return new ResourceType(group, Text(stored["name"])!, plural, kind, scope == "Namespaced", IsCustom: true, stored["subresources"]?["status"] is not null)
        {
            Singular = Text(names["singular"]) ?? kind.ToLowerInvariant(),
            ShortNames = Strings(names["shortNames"]),
            Categories = Strings(names["categories"]),
            ServedVersions = served.Count > 0 ? served : [Text(stored["name"])!],
            Schema = (JsonObject?)schema?.DeepClone(),
            Columns = Columns(stored),
        };
    }

    /// <summary>The status a healthy API server reports: names accepted, Established, and every version ever stored.</summary>
    public static JsonObject Status(JsonObject crd, JsonNode? previousStatus)
    {
        var spec = crd["spec"]!;
        var storedVersions = Strings(previousStatus?["storedVersions"]).ToList();
        var storage = (spec["versions"] as JsonArray)!.OfType<JsonObject>().Single(v => v["storage"]?.GetValue<bool>() == true);
        var storageName = Text(storage["name"])!;
        if (!storedVersions.Contains(storageName, StringComparer.Ordinal))
        {
            storedVersions.Add(storageName);
        }

        return new JsonObject
        {
            ["conditions"] = new JsonArray
            {
                Condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
            },
            ["acceptedNames"] = spec["names"]!.DeepClone(),
            ["storedVersions"] = new JsonArray([.. storedVersions.Select(v => JsonValue.Create(v))]),
        };
    }

    private static JsonObject Condition(string type, string reason, string message) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["reason"] = reason,
        ["message"] = message,
    };

    private static List<PrinterColumn> Columns(JsonObject version)
    {
        if (version["additionalPrinterColumns"] is not JsonArray columns || columns.Count == 0)
        {
            return [new PrinterColumn("Age", "date", ".metadata.creationTimestamp", "Time since the object was created.")];
        }

        return [.. columns.OfType<JsonObject>().Select(c => new PrinterColumn(
            Text(c["name"]) ?? "",
            Text(c["type"]) ?? "string",
            Text(c["jsonPath"]) ?? "",
            Text(c["description"]) ?? "",
            c["priority"] is JsonValue priority ? int.Parse(priority.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : 0,
            Text(c["format"]) ?? ""))];
    }

    private static FakeApiError Invalid(string name, string field, string why) => FakeApiError.Invalid(CrdType, name, field, why);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static IReadOnlyList<string> Strings(JsonNode? node) => (node as JsonArray)?.Select(Text).OfType<string>().ToList() ?? [];
}
