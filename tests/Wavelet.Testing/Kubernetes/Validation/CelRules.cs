using System.Collections.Concurrent;
using Cel;

namespace Wavelet.Testing.Kubernetes.Validation;

/// <summary>
/// Evaluates a CRD's <c>x-kubernetes-validations</c> rules with the Cel package: <c>self</c> is the value at the rule's
/// position (objects as maps, arrays as lists, integers as int), <c>oldSelf</c> the value before an update. Transition
/// rules (those naming <c>oldSelf</c>) run only on update and only where the old value exists at the same path (list items
/// correlate by their map keys). A failed rule is reported at its position (plus <c>fieldPath</c>) with its
/// <c>message</c> (or <c>messageExpression</c>), as kube-apiserver reports it.
/// </summary>
internal static class CelRules
{
    private static readonly CelEnvironment Environment = new(null, null);
    private static readonly ConcurrentDictionary<string, Func<IDictionary<string, object?>, object?>> Programs = new(StringComparer.Ordinal);
    private static readonly object CompileGate = new();

    public static void Validate(JsonNode? value, JsonNode? oldValue, SchemaNode schema, string path, List<FieldError> errors)
    {
        if (value is null || !schema.Known)
        {
            return;
        }

        foreach (var rule in (schema.Schema!["x-kubernetes-validations"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            Evaluate(rule, value, oldValue, path, errors);
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var childSchema = schema.Property(name);
                    if (childSchema.Known && !(path.Length == 0 && name == "metadata"))
                    {
                        Validate(child, (oldValue as JsonObject)?[name], childSchema, path.Length == 0 ? name : $"{path}.{name}", errors);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Validate(array[i], Correlate(array[i], oldValue as JsonArray, schema), schema.Items, $"{path}[{i}]", errors);
                }

                break;
        }
    }

    private static JsonNode? Correlate(JsonNode? item, JsonArray? oldItems, SchemaNode list)
    {
        if (oldItems is null || list.ListType != "map" || item is not JsonObject obj)
        {
            return null;
        }

        var keys = list.MapKeys;
        return oldItems.FirstOrDefault(old => old is JsonObject o && keys.All(k => JsonNode.DeepEquals(o[k], obj[k])));
    }

    private static void Evaluate(JsonObject rule, JsonNode value, JsonNode? oldValue, string path, List<FieldError> errors)
    {
        var text = rule["rule"]?.GetValue<string>() ?? "";
        var transition = text.Contains("oldSelf", StringComparison.Ordinal);
        if (transition && oldValue is null)
        {
            return;
        }

        var variables = new Dictionary<string, object?> { ["self"] = ToCel(value) };
        if (transition)
        {
            variables["oldSelf"] = ToCel(oldValue);
        }

        var field = path + (rule["fieldPath"]?.GetValue<string>() ?? "");
        if (field.StartsWith('.'))
        {
            field = field[1..];
        }

        object? result;
        try
        {
            result = Program(text)(variables);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            errors.Add(FieldError.Invalid(field, StructuralSchema.Describe(value), $"rule evaluation error: {text}: {ex.Message}"));
            return;
        }

        if (result is true)
        {
            return;
        }

        var message = rule["message"]?.GetValue<string>();
        if (rule["messageExpression"]?.GetValue<string>() is { } expression)
        {
            try
            {
                message = Program(expression)(variables) as string ?? message;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                message ??= $"failed rule: {text}";
            }
        }

        var reason = rule["reason"]?.GetValue<string>() ?? "FieldValueInvalid";
        var detail = $"Invalid value: {StructuralSchema.Describe(value)}: {message ?? $"failed rule: {text}"}";
        errors.Add(new FieldError(field, reason, detail));
    }

    private static Func<IDictionary<string, object?>, object?> Program(string expression) =>
        Programs.GetOrAdd(expression, static text =>
        {
            lock (CompileGate)
            {
                var compiled = Environment.Compile(text);
                return variables => compiled.Invoke(variables);
            }
        });

    private static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToCel(p.Value), StringComparer.Ordinal),
        JsonArray array => array.Select(ToCel).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => integer,
            JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => null,
    };
}
