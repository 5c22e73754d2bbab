using System.Globalization;
using System.Text.Json;
using Wavelet.Api.DataPlane;

namespace Wavelet.DataPlane.Events;

/// <summary>
/// Validates an event body against the event's columns and converts it to typed rows. Every problem is a
/// <see cref="EventBodyException"/> whose message names the row, the column and what was expected.
/// </summary>
public static class EventBodyParser
{
    public static List<object?[]> ParseRows(JsonElement body, EventConfig ev, bool batch, int maxRows)
    {
        if (!batch)
        {
            if (body.ValueKind != JsonValueKind.Object)
            {
                throw new EventBodyException($"body must be one JSON object with the columns of event '{ev.Name}' (use /batch for an array)");
            }

            return [ParseRow(body, ev, "")];
        }

        if (body.ValueKind != JsonValueKind.Array)
        {
            throw new EventBodyException($"batch body must be a JSON array of objects with the columns of event '{ev.Name}'");
        }

        var count = body.GetArrayLength();
        if (count == 0)
        {
            throw new EventBodyException("batch body is an empty array: send at least one row");
        }

        if (count > maxRows)
        {
            throw new EventBodyException($"batch has {count} rows; at most {maxRows} are accepted per request");
        }

        var rows = new List<object?[]>(count);
        var index = 0;
        foreach (var item in body.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new EventBodyException($"row {index}: must be a JSON object");
            }

            rows.Add(ParseRow(item, ev, $"row {index}: "));
            index++;
        }

        return rows;
    }

    private static object?[] ParseRow(JsonElement row, EventConfig ev, string where)
    {
        foreach (var property in row.EnumerateObject())
        {
            if (!ev.Columns.Any(c => c.Name == property.Name))
            {
                throw new EventBodyException($"{where}unknown column '{property.Name}' for event '{ev.Name}'; columns are: {string.Join(", ", ev.Columns.Select(c => c.Name))}");
            }
        }

        var values = new object?[ev.Columns.Count];
        for (var i = 0; i < ev.Columns.Count; i++)
        {
            var column = ev.Columns[i];
            values[i] = row.TryGetProperty(column.Name, out var value) ? Convert(value, column, where) : null;
        }

        return values;
    }

    private static object? Convert(JsonElement value, ColumnConfig column, string where)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        object? converted = column.Type switch
        {
            "string" => value.ValueKind == JsonValueKind.String ? value.GetString() : null,
            "int" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : null,
            "float" => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) ? d : null,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null,
            "timestamp" => value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.UtcDateTime : null,
            "json" => value.GetRawText(),
            _ => null,
        };
        return converted ?? throw new EventBodyException($"{where}column '{column.Name}' must be {Expected(column.Type)}, got {Describe(value)}");
    }

    private static string Expected(string type) => type switch
    {
        "string" => "a string",
        "int" => "a 32-bit integer",
        "float" => "a number",
        "boolean" => "true or false",
        "timestamp" => "an ISO-8601 timestamp string",
        _ => "JSON",
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(value.GetString() ?? "")}\"",
        JsonValueKind.Number => $"the number {Truncate(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string text) => text.Length > 40 ? text[..40] + "..." : text;
}
