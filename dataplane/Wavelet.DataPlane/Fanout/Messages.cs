using System.Globalization;
using System.Text.Json;
using Wavelet.DataPlane.Feed;
using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Fanout;

/// <summary>The upstream Wavelet WebSocket messages, serialised to UTF-8 bytes once and shared by every recipient.</summary>
public static class Messages
{
    public static byte[] Connected(string query) => Write(w =>
    {
        w.WriteString("type", "connected");
        w.WriteString("query", query);
    });

    public static byte[] Snapshot(string query, IEnumerable<Row> rows) => Write(w =>
    {
        w.WriteString("type", "snapshot");
        w.WriteString("query", query);
        w.WriteStartArray("rows");
        foreach (var row in rows)
        {
            w.WriteRawValue(row.Json, skipInputValidation: true);
        }

        w.WriteEndArray();
    });

    /// <summary>A diff, or null when none of the changes is visible (nothing is sent then).</summary>
    public static byte[]? Diff(string query, long cursor, IEnumerable<Change> changes) => Changes("diff", query, cursor, changes);

    /// <summary>The diff's fields with an optional <c>type</c> (webhook bodies have none); null when there are no changes.</summary>
    internal static byte[]? Changes(string? type, string query, long cursor, IEnumerable<Change> changes)
    {
        var inserted = new List<Row>();
        var updated = new List<Row>();
        var deleted = new List<Row>();
        foreach (var change in changes)
        {
            (change.Op switch
            {
                RowOp.Insert => inserted,
                RowOp.UpdateInsert => updated,
                _ => deleted,
            }).Add(change.Row);
        }

        if (inserted.Count + updated.Count + deleted.Count == 0)
        {
            return null;
        }

        return Write(w =>
        {
            if (type is not null)
            {
                w.WriteString("type", type);
            }

            w.WriteString("query", query);
            w.WriteString("cursor", cursor.ToString(CultureInfo.InvariantCulture));
            WriteRows(w, "inserted", inserted);
            WriteRows(w, "updated", updated);
            WriteRows(w, "deleted", deleted);
        });
    }

    private static void WriteRows(Utf8JsonWriter writer, string name, List<Row> rows)
    {
        writer.WriteStartArray(name);
        foreach (var row in rows)
        {
            writer.WriteRawValue(row.Json, skipInputValidation: true);
        }

        writer.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
