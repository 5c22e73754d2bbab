using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Wavelet.DataPlane.State;

/// <summary>One MV row: its values, its JSON object serialised once, and that JSON as its identity in the multiset.</summary>
public sealed class Row
{
    public Row(IReadOnlyList<string> columns, object?[] values)
    {
        Columns = columns;
        Values = values;
        Json = Serialize(columns, values);
        Identity = Encoding.UTF8.GetString(Json);
    }

    public IReadOnlyList<string> Columns { get; }

    public object?[] Values { get; }

    public byte[] Json { get; }

    public string Identity { get; }

    public object? this[string column]
    {
        get
        {
            for (var i = 0; i < Columns.Count; i++)
            {
                if (Columns[i] == column)
                {
                    return Values[i];
                }
            }

            return null;
        }
    }

    /// <summary>The text a filter value or a query-string value is compared with.</summary>
    public static string? KeyOf(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static byte[] Serialize(IReadOnlyList<string> columns, object?[] values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (var i = 0; i < columns.Count; i++)
            {
                writer.WritePropertyName(columns[i]);
                WriteValue(writer, values[i]);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case short n:
                writer.WriteNumberValue(n);
                break;
            case int n:
                writer.WriteNumberValue(n);
                break;
            case long n:
                writer.WriteNumberValue(n);
                break;
            case float n when float.IsFinite(n):
                writer.WriteNumberValue(n);
                break;
            case double n when double.IsFinite(n):
                writer.WriteNumberValue(n);
                break;
            case decimal n:
                writer.WriteNumberValue(n);
                break;
            case DateTime t:
                writer.WriteStringValue(t.Kind == DateTimeKind.Unspecified ? t.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) : t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset t:
                writer.WriteStringValue(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture));
                break;
            case JsonElement e:
                e.WriteTo(writer);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            default:
                writer.WriteStringValue(KeyOf(value));
                break;
        }
    }
}
