using System.Text.Json;
using System.Text.RegularExpressions;

namespace Wavelet.Deploy.Tests.Helm;

/// <summary>
/// Checks values against values.schema.json with the JSON-schema keywords the chart's schema uses (type, required,
/// properties, additionalProperties, items, enum, pattern, minimum, maximum, minLength, maxLength), as helm does.
/// </summary>
internal static class ValuesSchema
{
    public static IReadOnlyList<string> Validate(JsonElement schema, object? value)
    {
        var errors = new List<string>();
        Check(schema, value, "values", errors);
        return errors;
    }

    public static JsonElement Load(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();

    private static void Check(JsonElement schema, object? value, string path, List<string> errors)
    {
        if (schema.TryGetProperty("type", out var type) && !HasType(value, type.GetString()!))
        {
            errors.Add($"{path}: expected {type.GetString()}, got {Describe(value)}");
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => a.ToString() == value?.ToString()))
        {
            errors.Add($"{path}: {value} is not one of {allowed}");
        }

        if (value is string text)
        {
            CheckString(schema, text, path, errors);
        }

        if (value is long or double)
        {
            var number = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
            if (schema.TryGetProperty("minimum", out var min) && number < min.GetDouble())
            {
                errors.Add($"{path}: {number} is below the minimum {min}");
            }

            if (schema.TryGetProperty("maximum", out var max) && number > max.GetDouble())
            {
                errors.Add($"{path}: {number} is above the maximum {max}");
            }
        }

        if (value is IDictionary<string, object?> map)
        {
            CheckObject(schema, map, path, errors);
        }

        if (value is IList<object?> list && schema.TryGetProperty("items", out var items))
        {
            for (var i = 0; i < list.Count; i++)
            {
                Check(items, list[i], $"{path}[{i}]", errors);
            }
        }
    }

    private static void CheckString(JsonElement schema, string text, string path, List<string> errors)
    {
        if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!))
        {
            errors.Add($"{path}: \"{text}\" does not match {pattern.GetString()}");
        }

        if (schema.TryGetProperty("minLength", out var minLength) && text.Length < minLength.GetInt32())
        {
            errors.Add($"{path}: must not be shorter than {minLength}");
        }

        if (schema.TryGetProperty("maxLength", out var maxLength) && text.Length > maxLength.GetInt32())
        {
            errors.Add($"{path}: must not be longer than {maxLength}");
        }
    }

    private static void CheckObject(JsonElement schema, IDictionary<string, object?> map, string path, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var key in required.EnumerateArray().Select(r => r.GetString()!).Where(k => !map.ContainsKey(k)))
            {
                errors.Add($"{path}.{key}: required");
            }
        }

        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        foreach (var (key, child) in map)
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(key, out var childSchema))
            {
                Check(childSchema, child, $"{path}.{key}", errors);
            }
            else if (schema.TryGetProperty("additionalProperties", out var additional))
            {
                if (additional.ValueKind == JsonValueKind.False)
                {
                    errors.Add($"{path}.{key}: unknown key (not in values.schema.json)");
                }
                else if (additional.ValueKind == JsonValueKind.Object)
                {
                    Check(additional, child, $"{path}.{key}", errors);
                }
            }
        }
    }

    private static bool HasType(object? value, string type) => type switch
    {
        "object" => value is IDictionary<string, object?>,
        "array" => value is IList<object?>,
        "string" => value is string,
        "integer" => value is long,
        "number" => value is long or double,
        "boolean" => value is bool,
        "null" => value is null,
        _ => false,
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        IDictionary<string, object?> => "an object",
        IList<object?> => "an array",
        string s => $"the string \"{s}\"",
        _ => value.ToString() ?? "",
    };
}
