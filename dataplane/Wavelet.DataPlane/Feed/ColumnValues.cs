using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Wavelet.DataPlane.Feed;

/// <summary>
/// Reads one cursor column into the CLR value <see cref="State.RowValueWriter"/> renders. Npgsql's default mapping
/// loses what the JSON shape needs for a few types (json arrives as a string, a date as a DateTime, an interval with
/// months cannot be a TimeSpan), so those are read by their PostgreSQL type name.
/// </summary>
internal static class ColumnValues
{
    public static object? Read(NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        return reader.GetDataTypeName(ordinal) switch
        {
            "json" or "jsonb" => ParseJson(reader.GetFieldValue<string>(ordinal)),
            "json[]" or "jsonb[]" or "_json" or "_jsonb" => reader.GetFieldValue<string?[]>(ordinal).Select(ParseJson).ToArray(),
            "interval" => reader.GetFieldValue<NpgsqlInterval>(ordinal),
            "interval[]" or "_interval" => reader.GetFieldValue<NpgsqlInterval[]>(ordinal),
            "date" => reader.GetFieldValue<DateOnly>(ordinal),
            "date[]" or "_date" => reader.GetFieldValue<DateOnly[]>(ordinal),
            _ => reader.GetValue(ordinal),
        };
    }

    private static object? ParseJson(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
