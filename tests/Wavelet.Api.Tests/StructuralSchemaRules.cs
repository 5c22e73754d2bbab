using System.Text.RegularExpressions;

namespace Wavelet.Api.Tests;

/// <summary>
/// The rules the API server applies to a CRD schema (structural schema, list maps, CEL cost bounds), checked offline.
/// See shared reference kubernetes-api.md §5 and the apiextensions.k8s.io/v1 validation.
/// </summary>
internal static partial class StructuralSchemaRules
{
    private static readonly HashSet<string> AllowedKeywords =
    [
        "description", "type", "format", "title", "properties", "required", "items", "additionalProperties", "enum",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems",
        "maxItems", "minProperties", "maxProperties", "multipleOf", "nullable", "default", "example", "externalDocs",
        "allOf", "anyOf", "oneOf", "not", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string",
        "x-kubernetes-embedded-resource", "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
        "x-kubernetes-validations",
    ];

    private static readonly string[] Junctors = ["allOf", "anyOf", "oneOf", "not"];

    // Inside allOf/anyOf/oneOf/not only value validations may appear (no type, description, default, ...).
    private static readonly string[] ForbiddenInJunctors = ["type", "description", "default", "nullable", "additionalProperties", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string", "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type"];

    private static readonly string[] ScalarTypes = ["string", "integer", "number", "boolean"];

    public static List<string> Violations(JsonObject root)
    {
        var violations = new List<string>();
        if ((string?)root["type"] != "object")
        {
            violations.Add("(root): type must be object");
        }

        if (root["properties"]?["metadata"] is JsonObject metadata)
        {
            var constrained = (metadata["properties"]?.AsObject().Select(p => p.Key) ?? []).Except(["name", "generateName"]).ToList();
            if (constrained.Count > 0 || metadata.Any(p => p.Key is not ("type" or "description" or "properties")))
            {
                violations.Add("metadata: only name and generateName may be constrained");
            }
        }

        foreach (var (path, node, isProperty) in SchemaWalker.Nodes(root))
        {
            var at = path.Length == 0 ? "(root)" : path;
            CheckNode(at, node, isProperty, violations);
        }

        return violations;
    }

    private static void CheckNode(string at, JsonObject node, bool isProperty, List<string> violations)
    {
        foreach (var keyword in node.Select(p => p.Key).Where(k => !AllowedKeywords.Contains(k)))
        {
            violations.Add($"{at}: keyword {keyword} is not allowed");
        }

        var type = (string?)node["type"];
        var intOrString = node["x-kubernetes-int-or-string"] is JsonValue ios && (bool)ios;
        var preserveUnknown = node["x-kubernetes-preserve-unknown-fields"] is JsonValue pu && (bool)pu;
        if (type is null && !intOrString && !preserveUnknown)
        {
            violations.Add($"{at}: has no type");
        }

        if (intOrString && type is not null)
        {
            violations.Add($"{at}: x-kubernetes-int-or-string must not set a type");
        }

        if (isProperty && string.IsNullOrWhiteSpace((string?)node["description"]))
        {
            violations.Add($"{at}: has no description");
        }

        if (type == "array" && node["items"] is null)
        {
            violations.Add($"{at}: an array without items");
        }

        if (node["properties"] is not null && node["additionalProperties"] is not null)
        {
            violations.Add($"{at}: properties and additionalProperties are mutually exclusive");
        }

        foreach (var junctor in Junctors.Where(j => node[j] is not null))
        {
            var branches = node[junctor] is JsonArray array ? array.Select(b => b!.AsObject()) : [node[junctor]!.AsObject()];
            foreach (var forbidden in branches.SelectMany(b => b.Select(p => p.Key)).Intersect(ForbiddenInJunctors))
            {
                violations.Add($"{at}: {junctor} must not set {forbidden}");
            }
        }

        CheckListMap(at, node, violations);
        CheckCel(at, node, violations);
    }

    private static void CheckListMap(string at, JsonObject node, List<string> violations)
    {
        var listType = (string?)node["x-kubernetes-list-type"];
        if (listType is null)
        {
            return;
        }

        if (listType is not ("atomic" or "set" or "map"))
        {
            violations.Add($"{at}: unknown x-kubernetes-list-type {listType}");
        }

        if (listType != "map")
        {
            return;
        }

        var items = node["items"]?.AsObject();
        var keys = node["x-kubernetes-list-map-keys"]?.AsArray().Select(k => (string)k!).ToList() ?? [];
        if (keys.Count == 0)
        {
            violations.Add($"{at}: a list map needs x-kubernetes-list-map-keys");
        }

        if ((string?)items?["type"] != "object")
        {
            violations.Add($"{at}: list map items must be objects");
            return;
        }

        var required = items!["required"]?.AsArray().Select(r => (string)r!).ToHashSet() ?? [];
        foreach (var key in keys)
        {
            if (!required.Contains(key))
            {
                violations.Add($"{at}: list map key {key} is not required in the items");
            }

            if (!ScalarTypes.Contains((string?)items["properties"]?[key]?["type"]))
            {
                violations.Add($"{at}: list map key {key} must be a scalar field of the items");
            }
        }
    }

    /// <summary>
    /// CEL cost estimation needs bounds on whatever a rule iterates or scans: arrays it reads need maxItems, strings it
    /// reads need maxLength (or an enum), otherwise the API server rejects the CRD as too expensive.
    /// </summary>
    private static void CheckCel(string at, JsonObject node, List<string> violations)
    {
        if (node["x-kubernetes-validations"] is not JsonArray rules)
        {
            return;
        }

        foreach (var rule in rules.Select(r => r!.AsObject()))
        {
            var text = (string?)rule["rule"];
            if (string.IsNullOrWhiteSpace(text) || string.IsNullOrWhiteSpace((string?)rule["message"]))
            {
                violations.Add($"{at}: a CEL rule needs rule and message");
                continue;
            }

            if ((string?)rule["fieldPath"] is { } fieldPath && node["properties"]?[fieldPath.TrimStart('.')] is null)
            {
                violations.Add($"{at}: fieldPath {fieldPath} names no field of this object");
            }

            if (Regex.IsMatch(text, @"\bself\.(size|startsWith|endsWith|matches|contains)\(") && (string?)node["type"] == "string" && node["maxLength"] is null && node["enum"] is null)
            {
                violations.Add($"{at}: a string without maxLength read by a CEL rule");
            }

            if (!Balanced(text))
            {
                violations.Add($"{at}: CEL rule has unbalanced parentheses or quotes: {text}");
            }

            var referenced = FieldReferenceRegex().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
            var fields = SchemaWalker.Nodes(node, at).Skip(1).Select(n => n.Path.Split('.', '[', '{')[^1]).ToHashSet();
            foreach (var unknown in referenced.Where(r => !fields.Contains(r)).Order(StringComparer.Ordinal))
            {
                violations.Add($"{at}: CEL rule reads {unknown}, which is not a field under this node");
            }

            foreach (var (path, child, _) in SchemaWalker.Nodes(node, at).Skip(1))
            {
                var name = path.Split('.', '[', '{')[^1];
                if (!referenced.Contains(name))
                {
                    continue;
                }

                CheckBounded(at, name, path, child, violations);
            }
        }
    }

    private static bool Balanced(string rule)
    {
        var depth = 0;
        char? quote = null;
        foreach (var c in rule)
        {
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']' && --depth < 0)
            {
                return false;
            }
        }

        return depth == 0 && quote is null;
    }

    private static void CheckBounded(string at, string name, string path, JsonObject node, List<string> violations)
    {
        switch ((string?)node["type"])
        {
            case "array":
                if (node["maxItems"] is null)
                {
                    violations.Add($"{at}: CEL rule reads {name}, an array without maxItems");
                }

                if ((string?)node["items"]?["type"] == "string" && node["items"]!["maxLength"] is null && node["items"]!["enum"] is null)
                {
                    violations.Add($"{path}[]: a string without maxLength read by a CEL rule");
                }

                break;
            case "string" when node["maxLength"] is null && node["enum"] is null:
                violations.Add($"{path}: a string without maxLength read by a CEL rule");
                break;
        }
    }

    // ".name" in "q.name == e.name", but not ".exists(" or ".startsWith(".
    [GeneratedRegex(@"\.([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()", RegexOptions.CultureInvariant)]
    private static partial Regex FieldReferenceRegex();
}
