using System.Text.RegularExpressions;

namespace Wavelet.Testing.Kubernetes.Validation;

/// <summary>
/// What kube-apiserver does with a custom resource against its CRD's structural schema: prune unknown fields (except
/// under x-kubernetes-preserve-unknown-fields), apply defaults, and validate types, required fields, enums, bounds,
/// lengths, patterns, item counts and list-type uniqueness, with the API server's wording.
/// </summary>
internal static class StructuralSchema
{
    private static readonly HashSet<string> RootFields = new(StringComparer.Ordinal) { "apiVersion", "kind", "metadata" };

    /// <summary>Removes fields the schema does not declare; returns their paths (for fieldValidation=Strict/Warn).</summary>
    public static List<string> Prune(JsonObject obj, SchemaNode schema)
    {
        var pruned = new List<string>();
        PruneObject(obj, schema, "", pruned, root: true);
        return pruned;
    }

    /// <summary>Fills unset fields that have a default, where their parent object exists.</summary>
    public static void Default(JsonNode? node, SchemaNode schema)
    {
        switch (node)
        {
            case JsonObject obj when (schema.Schema?["properties"] is JsonObject properties):
                foreach (var (name, propertySchema) in properties)
                {
                    if (propertySchema is not JsonObject property)
                    {
                        continue;
                    }

                    if (!obj.ContainsKey(name) && property["default"] is { } value)
                    {
                        obj[name] = value.DeepClone();
                    }

                    Default(obj[name], new SchemaNode(property));
                }

                break;
            case JsonObject obj when (schema.Schema?["additionalProperties"] is JsonObject additional):
                foreach (var (_, value) in obj.ToList())
                {
                    Default(value, new SchemaNode(additional));
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Default(item, schema.Items);
                }

                break;
        }
    }

    public static List<FieldError> Validate(JsonObject obj, SchemaNode schema)
    {
        var errors = new List<FieldError>();
        if (schema.Schema?["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                if (!RootFields.Contains(name) && obj[name] is { } value && property is JsonObject propertySchema)
                {
                    Check(value, new SchemaNode(propertySchema), name, errors);
                }
            }

            foreach (var required in Strings(schema.Schema["required"]).Where(r => !RootFields.Contains(r) && !obj.ContainsKey(r)))
            {
                errors.Add(FieldError.Required(required));
            }
        }

        return errors;
    }

    private static void PruneObject(JsonObject obj, SchemaNode schema, string path, List<string> pruned, bool root)
    {
        if (schema.PreservesUnknownFields && schema.Schema?["properties"] is null)
        {
            return;
        }

        foreach (var (name, value) in obj.ToList())
        {
            var child = Join(path, name);
            if (root && RootFields.Contains(name))
            {
                continue;
            }

            if (!schema.Declares(name))
            {
                if (!schema.PreservesUnknownFields)
                {
                    obj.Remove(name);
                    pruned.Add(child);
                }

                continue;
            }

            PruneValue(value, schema.Property(name), child, pruned);
        }
    }

    private static void PruneValue(JsonNode? value, SchemaNode schema, string path, List<string> pruned)
    {
        switch (value)
        {
            case JsonObject obj when (schema.Type == "object" || schema.Schema?["properties"] is not null):
                PruneObject(obj, schema, path, pruned, root: false);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    PruneValue(array[i], schema.Items, $"{path}[{i}]", pruned);
                }

                break;
        }
    }

    private static void Check(JsonNode? value, SchemaNode node, string path, List<FieldError> errors)
    {
        var schema = node.Schema!;
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
            {
                errors.Add(FieldError.Invalid(path, "\"null\"", $"{path} in body must be of type {node.Type ?? "object"}: \"null\""));
            }

            return;
        }

        if (node.IntOrString)
        {
            if (!IsInteger(value) && !IsString(value))
            {
                errors.Add(FieldError.Invalid(path, Describe(value), $"{path} in body must be of type integer,string: {Describe(value)}"));
            }

            return;
        }

        var type = node.Type;
        if (type is not null && !HasType(value, type))
        {
            errors.Add(FieldError.Invalid(path, Describe(value), $"{path} in body must be of type {type}: {Describe(value)}"));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add(FieldError.Unsupported(path, Describe(value), allowed.Select(a => a?.ToJsonString() ?? "null")));
        }

        switch (value)
        {
            case JsonObject obj:
                CheckObject(obj, node, path, errors);
                break;
            case JsonArray array:
                CheckArray(array, node, path, errors);
                break;
            case JsonValue scalar:
                CheckScalar(scalar, schema, path, errors);
                break;
        }
    }

    private static void CheckObject(JsonObject obj, SchemaNode node, string path, List<FieldError> errors)
    {
        var schema = node.Schema!;
        foreach (var required in Strings(schema["required"]).Where(r => !obj.ContainsKey(r)))
        {
            errors.Add(FieldError.Required(Join(path, required)));
        }

        if (Number(schema["minProperties"]) is { } minProperties && obj.Count < minProperties)
        {
            errors.Add(FieldError.Invalid(path, obj.Count.ToString(CultureInfo.InvariantCulture), $"{path} in body should have at least {minProperties} properties"));
        }

        if (Number(schema["maxProperties"]) is { } maxProperties && obj.Count > maxProperties)
        {
            errors.Add(FieldError.Invalid(path, obj.Count.ToString(CultureInfo.InvariantCulture), $"{path} in body should have at most {maxProperties} properties"));
        }

        foreach (var (name, value) in obj)
        {
            var child = node.Property(name);
            if (child.Known)
            {
                Check(value, child, Join(path, name), errors);
            }
        }
    }

    private static void CheckArray(JsonArray array, SchemaNode node, string path, List<FieldError> errors)
    {
        var schema = node.Schema!;
        if (Number(schema["minItems"]) is { } minItems && array.Count < minItems)
        {
            errors.Add(FieldError.Invalid(path, array.Count.ToString(CultureInfo.InvariantCulture), $"{path} in body should have at least {minItems} items"));
        }

        if (Number(schema["maxItems"]) is { } maxItems && array.Count > maxItems)
        {
            errors.Add(FieldError.TooMany(path, array.Count, (long)maxItems));
        }

        var items = node.Items;
        for (var i = 0; i < array.Count; i++)
        {
            if (items.Known)
            {
                Check(array[i], items, $"{path}[{i}]", errors);
            }
        }

        switch (node.ListType)
        {
            case "set" or "atomic" when node.ListType == "set" || schema["uniqueItems"]?.GetValue<bool>() == true:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array.Take(i).Any(earlier => JsonNode.DeepEquals(earlier, array[i])))
                    {
                        errors.Add(FieldError.Duplicate($"{path}[{i}]", Describe(array[i])));
                    }
                }

                break;
            case "map":
                var keys = node.MapKeys;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < array.Count; i++)
                {
                    var key = new JsonObject();
                    foreach (var k in keys)
                    {
                        key[k] = array[i]?[k]?.DeepClone();
                    }

                    if (!seen.Add(key.ToJsonString()))
                    {
                        errors.Add(FieldError.Duplicate($"{path}[{i}]", key.ToJsonString().Replace("\"", "", StringComparison.Ordinal).Replace(":", ": ", StringComparison.Ordinal)));
                    }
                }

                break;
        }
    }

    private static void CheckScalar(JsonValue value, JsonObject schema, string path, List<FieldError> errors)
    {
        if (value.TryGetValue<string>(out var text))
        {
            var length = text.EnumerateRunes().Count(); // Go counts runes
            if (Number(schema["minLength"]) is { } minLength && length < minLength)
            {
                errors.Add(FieldError.Invalid(path, Describe(value), $"{path} in body should be at least {minLength} chars long"));
            }

            if (Number(schema["maxLength"]) is { } maxLength && length > maxLength)
            {
                errors.Add(FieldError.Invalid(path, Describe(value), $"{path} in body should be at most {maxLength} chars long"));
            }

            if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                errors.Add(FieldError.Invalid(path, Describe(value), $"{path} in body should match '{pattern}'"));
            }

            return;
        }

        if (double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            var exclusiveMin = schema["exclusiveMinimum"]?.GetValue<bool>() == true;
            var exclusiveMax = schema["exclusiveMaximum"]?.GetValue<bool>() == true;
            if (Number(schema["minimum"]) is { } minimum && (exclusiveMin ? number <= minimum : number < minimum))
            {
                errors.Add(FieldError.Invalid(path, value.ToJsonString(), $"{path} in body should be greater than {(exclusiveMin ? "" : "or equal to ")}{Format(minimum)}"));
            }

            if (Number(schema["maximum"]) is { } maximum && (exclusiveMax ? number >= maximum : number > maximum))
            {
                errors.Add(FieldError.Invalid(path, value.ToJsonString(), $"{path} in body should be less than {(exclusiveMax ? "" : "or equal to ")}{Format(maximum)}"));
            }
        }
    }

    private static bool HasType(JsonNode value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => IsString(value),
        "boolean" => value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "integer" => IsInteger(value),
        "number" => value is JsonValue n && n.GetValueKind() == JsonValueKind.Number,
        _ => true,
    };

    private static bool IsString(JsonNode value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    private static bool IsInteger(JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d);

    /// <summary>A value as the API server shows it in a message: strings quoted, numbers plain, objects and arrays by type.</summary>
    public static string Describe(JsonNode? value) => value switch
    {
        null => "\"null\"",
        JsonObject => "\"object\"",
        JsonArray => "\"array\"",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.ToJsonString(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => value.ToJsonString(),
    };

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static double? Number(JsonNode? node) =>
        node is JsonValue value && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<string> Strings(JsonNode? node) => (node as JsonArray)?.Select(n => n!.GetValue<string>()) ?? [];
}
