using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;
using Wavelet.Api.Schema;
using Wavelet.Api.Serialization;

namespace Wavelet.CrdGen;

/// <summary>
/// Builds a structural OpenAPI v3 schema from the C# API types: property types from the CLR types, descriptions from
/// [Description], bounds from the DataAnnotations attributes, list semantics from [ListMapKeys] and CEL rules from [CelRule].
/// </summary>
public static class SchemaBuilder
{
    public static JsonObject ForRoot(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var schema = ForObject(type, type.FullName!);
        schema.Remove("description");
        var description = type.GetCustomAttribute<DescriptionAttribute>()?.Description
            ?? throw new InvalidOperationException($"{type.FullName} needs a [Description]");
        return Prepend(schema, "description", description);
    }

    private static JsonObject ForObject(Type type, string where)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.CanRead && p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
                     .OrderBy(p => p.MetadataToken))
        {
            var name = JsonName(property);
            properties[name] = ForProperty(property, $"{where}.{property.Name}");
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0)
        {
            schema["required"] = required;
        }

        AddCelRules(schema, type.GetCustomAttributes<CelRuleAttribute>());
        return schema;
    }

    private static JsonObject ForProperty(PropertyInfo property, string where)
    {
        var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description;
        if (string.IsNullOrWhiteSpace(description))
        {
            throw new InvalidOperationException($"{where} needs a [Description]: every CRD field is documented");
        }

        var converter = property.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType;
        JsonObject schema;
        if (converter == typeof(IntOrStringConverter))
        {
            schema = new JsonObject { ["x-kubernetes-int-or-string"] = true };
        }
        else if (converter == typeof(QuantityMapConverter))
        {
            schema = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject { ["x-kubernetes-int-or-string"] = true },
            };
        }
        else
        {
            schema = ForType(property.PropertyType, where);
        }

        schema = Prepend(schema, "description", description);
        ApplyBounds(schema, property);
        if (property.GetCustomAttribute<ListMapKeysAttribute>() is { } listMap)
        {
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = new JsonArray(listMap.Keys.Select(k => (JsonNode)JsonValue.Create(k)!).ToArray());
        }

        AddCelRules(schema, property.GetCustomAttributes<CelRuleAttribute>());
        return schema;
    }

    private static JsonObject ForType(Type type, string where)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(int))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int32" };
        }

        if (type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int64" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(DateTimeOffset))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }

        if (type == typeof(JsonObject))
        {
            return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        }

        if (type == typeof(V1Condition))
        {
            return MetaV1Schemas.Condition();
        }

        if (type == typeof(V1ObjectMeta))
        {
            // The API server owns metadata's schema; a CRD may only constrain name and generateName.
            return new JsonObject { ["type"] = "object" };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var args = type.GetGenericArguments();
            if (args[0] != typeof(string))
            {
                throw new InvalidOperationException($"{where}: map keys must be strings");
            }

            return new JsonObject { ["type"] = "object", ["additionalProperties"] = ForType(args[1], where + "[*]") };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return new JsonObject { ["type"] = "array", ["items"] = ForType(type.GetGenericArguments()[0], where + "[]") };
        }

        if (type.IsClass && type.Namespace?.StartsWith("Wavelet.Api", StringComparison.Ordinal) == true)
        {
            return ForObject(type, where);
        }

        throw new InvalidOperationException($"{where}: no schema mapping for {type}");
    }

    private static void ApplyBounds(JsonObject schema, PropertyInfo property)
    {
        var isArray = (string?)schema["type"] == "array";
        if (property.GetCustomAttribute<MinLengthAttribute>() is { } min)
        {
            schema[isArray ? "minItems" : "minLength"] = min.Length;
        }

        if (property.GetCustomAttribute<MaxLengthAttribute>() is { } max)
        {
            schema[isArray ? "maxItems" : "maxLength"] = max.Length;
        }

        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            schema["minimum"] = Convert.ToInt64(range.Minimum, System.Globalization.CultureInfo.InvariantCulture);
            schema["maximum"] = Convert.ToInt64(range.Maximum, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } pattern)
        {
            schema["pattern"] = pattern.Pattern;
        }

        if (property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
        {
            schema["enum"] = new JsonArray(allowed.Values.Select(v => (JsonNode)JsonValue.Create((string)v!)).ToArray());
        }
    }

    private static void AddCelRules(JsonObject schema, IEnumerable<CelRuleAttribute> rules)
    {
        var list = new JsonArray();
        foreach (var rule in rules)
        {
            var entry = new JsonObject { ["rule"] = rule.Rule, ["message"] = rule.Message };
            if (rule.FieldPath is not null)
            {
                entry["fieldPath"] = rule.FieldPath;
            }

            list.Add(entry);
        }

        if (list.Count > 0)
        {
            schema["x-kubernetes-validations"] = list;
        }
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static JsonObject Prepend(JsonObject schema, string key, string value)
    {
        var result = new JsonObject { [key] = value };
        foreach (var (name, node) in schema.ToList())
        {
            schema.Remove(name);
            result[name] = node;
        }

        return result;
    }
}
