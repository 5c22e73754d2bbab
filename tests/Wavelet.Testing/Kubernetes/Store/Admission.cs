using System.Text.RegularExpressions;

namespace Wavelet.Testing.Kubernetes.Store;

/// <summary>
/// What kube-apiserver does to an object between decoding and storing it: name rules, Secret stringData folded into data,
/// and for custom resources pruning, defaulting, schema validation and the CRD's CEL rules. Returns the warnings a
/// fieldValidation=Warn request gets; a fieldValidation=Strict request with unknown fields is refused.
/// </summary>
internal static partial class Admission
{
    public static List<string> Admit(ResourceType type, JsonObject obj, JsonObject? old, string fieldValidation, bool creating)
    {
        var warnings = new List<string>();
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (creating)
        {
            ValidateName(type, name);
        }

        if (type is { IsCustom: false, Kind: "Secret" })
        {
            FoldStringData(type, obj, name);
        }

        if (type.IsCustom && type.Schema is { } schema)
        {
            var root = new SchemaNode(schema);
            var unknown = StructuralSchema.Prune(obj, root);
            if (unknown.Count > 0)
            {
                var messages = unknown.Select(f => $"unknown field \"{f}\"").ToList();
                if (fieldValidation == "Strict")
                {
                    throw FakeApiError.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", messages)}");
                }

                if (fieldValidation == "Warn")
                {
                    warnings.AddRange(messages);
                }
            }

            StructuralSchema.Default(obj, root);
            var errors = StructuralSchema.Validate(obj, root);
            if (errors.Count == 0)
            {
                CelRules.Validate(obj, old, root, "", errors);
            }

            if (errors.Count > 0)
            {
                throw FakeApiError.Invalid(type, name, errors);
            }
        }

        return warnings;
    }

    // Secret: stringData is write-only; each key is merged into data base64-encoded, and data must be valid base64.
    private static void FoldStringData(ResourceType type, JsonObject secret, string name)
    {
        if (secret["data"] is JsonObject data)
        {
            foreach (var (key, value) in data)
            {
                var text = value?.GetValue<string>() ?? "";
                var buffer = new byte[text.Length];
                if (!Convert.TryFromBase64String(text, buffer, out _))
                {
                    throw FakeApiError.BadRequest($"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input for key \"{key}\"");
                }
            }
        }

        if (secret["stringData"] is JsonObject stringData)
        {
            if (secret["data"] is not JsonObject target)
            {
                target = new JsonObject();
                secret["data"] = target;
            }

            foreach (var (key, value) in stringData)
            {
                target[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
            }

            secret.Remove("stringData");
        }

        if (secret["data"] is JsonObject { Count: > 0 } keys)
        {
            foreach (var (key, _) in keys)
            {
                if (!SecretKey().IsMatch(key))
                {
                    throw FakeApiError.Invalid(type, name, $"data[{key}]", $"Invalid value: \"{key}\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
                }
            }
        }

        secret["type"] ??= "Opaque";
    }

    // Namespaces and Services need an RFC 1123 label; everything else an RFC 1123 subdomain.
    private static void ValidateName(ResourceType type, string name)
    {
        if (name.Length == 0)
        {
            return;
        }

        var label = type is { IsCustom: false, Kind: "Namespace" or "Service" };
        if (label && (name.Length > 63 || !Label().IsMatch(name)))
        {
            throw FakeApiError.Invalid(type, name, "metadata.name", $"Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
        }

        if (!label && (name.Length > 253 || !Subdomain().IsMatch(name)))
        {
            throw FakeApiError.Invalid(type, name, "metadata.name", $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex SecretKey();
}
