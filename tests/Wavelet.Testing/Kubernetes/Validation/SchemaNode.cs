namespace Wavelet.Testing.Kubernetes.Validation;

/// <summary>A position in a structural schema, and the list semantics there that merging and field ownership follow.</summary>
internal readonly record struct SchemaNode(JsonObject? Schema)
{
    public static SchemaNode None => new(null);

    public bool Known => Schema is not null;

    public string? Type => Text("type");

    public bool PreservesUnknownFields => Schema?["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;

    public bool IntOrString => Schema?["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;

    /// <summary>atomic (the default for custom resources), set or map.</summary>
    public string ListType => Text("x-kubernetes-list-type") ?? "atomic";

    public IReadOnlyList<string> MapKeys => (Schema?["x-kubernetes-list-map-keys"] as JsonArray)?.Select(k => k!.GetValue<string>()).ToList() ?? [];

    /// <summary>Strategic merge patch: lists merge by <see cref="PatchMergeKey"/> (or as a set for scalars) when this contains "merge".</summary>
    public bool PatchMerges => Text("x-kubernetes-patch-strategy")?.Split(',').Contains("merge") == true;

    public bool PatchRetainsKeys => Text("x-kubernetes-patch-strategy")?.Split(',').Contains("retainKeys") == true;

    public string? PatchMergeKey => Text("x-kubernetes-patch-merge-key");

    public SchemaNode Property(string name)
    {
        if (Schema?["properties"]?[name] is JsonObject property)
        {
            return new SchemaNode(property);
        }

        return Schema?["additionalProperties"] is JsonObject additional ? new SchemaNode(additional) : None;
    }

    public bool Declares(string name) =>
        Schema?["properties"] is JsonObject properties && properties.ContainsKey(name) || Schema?["additionalProperties"] is JsonObject or JsonValue;

    public SchemaNode Items => new(Schema?["items"] as JsonObject);

    private string? Text(string key) => Schema?[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
