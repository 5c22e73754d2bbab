using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Wavelet.DataPlane.State;

/// <summary>
/// One MV row: its values, its JSON object serialised once in the project's value shape (the one place every outgoing
/// row — snapshot, diff, HTTP read, webhook, MCP — takes its JSON from), and that JSON as its identity in the multiset.
/// </summary>
public sealed class Row
{
    public Row(IReadOnlyList<string> columns, object?[] values, ValueShape shape = ValueShape.Upstream)
    {
        Columns = columns;
        Values = values;
        Json = Serialize(columns, values, shape);
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

    private static byte[] Serialize(IReadOnlyList<string> columns, object?[] values, ValueShape shape)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (var i = 0; i < columns.Count; i++)
            {
                writer.WritePropertyName(columns[i]);
                RowValueWriter.Write(writer, values[i], shape);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
