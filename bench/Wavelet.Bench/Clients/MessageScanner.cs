using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Wavelet.Bench.Measure;

namespace Wavelet.Bench.Clients;

/// <summary>
/// Scans one upstream-protocol message with a forward-only reader (no DOM: the driver shares the cores with the server):
/// its type, cursor, row count, and for every inserted/updated row the write-to-client latency from the row's
/// write-timestamp column (unix microseconds, written by <see cref="Load.ChangeWriter"/>).
/// </summary>
public static class MessageScanner
{
    private static readonly byte[] TypeName = "type"u8.ToArray();
    private static readonly byte[] CursorName = "cursor"u8.ToArray();
    private static readonly byte[] RowsName = "rows"u8.ToArray();
    private static readonly byte[] InsertedName = "inserted"u8.ToArray();
    private static readonly byte[] UpdatedName = "updated"u8.ToArray();
    private static readonly byte[] DeletedName = "deleted"u8.ToArray();

    public static ReceivedMessage Scan(ReadOnlySpan<byte> json, string timestampColumn, long nowMicros, LatencyHistogram? latency)
    {
        var reader = new Utf8JsonReader(json);
        var kind = MessageKind.Other;
        string? cursor = null;
        var rows = 0;
        var timed = 0;
        var timestampName = Encoding.UTF8.GetBytes(timestampColumn);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a server message must be a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(TypeName))
            {
                reader.Read();
                kind = reader.ValueTextEquals("connected"u8) ? MessageKind.Connected
                    : reader.ValueTextEquals("snapshot"u8) ? MessageKind.Snapshot
                    : reader.ValueTextEquals("diff"u8) ? MessageKind.Diff
                    : MessageKind.Other;
            }
            else if (reader.ValueTextEquals(CursorName))
            {
                reader.Read();
                cursor = reader.TokenType == JsonTokenType.String ? reader.GetString() : Encoding.UTF8.GetString(reader.ValueSpan);
            }
            else if (reader.ValueTextEquals(InsertedName) || reader.ValueTextEquals(UpdatedName))
            {
                reader.Read();
                var (count, withTime) = ScanRows(ref reader, timestampName, nowMicros, latency);
                rows += count;
                timed += withTime;
            }
            else if (reader.ValueTextEquals(RowsName) || reader.ValueTextEquals(DeletedName))
            {
                reader.Read();
                rows += CountRows(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new ReceivedMessage(kind, cursor, rows, timed);
    }

    private static (int Rows, int Timed) ScanRows(ref Utf8JsonReader reader, byte[] timestampName, long nowMicros, LatencyHistogram? latency)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return (0, 0);
        }

        var rows = 0;
        var timed = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            rows++;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTimestamp = reader.ValueTextEquals(timestampName);
                reader.Read();
                // bigint arrives as a JSON string in the default (upstream) value shape, as a number under Numbers.
                if (isTimestamp && TryGetInteger(ref reader, out var written))
                {
                    latency?.Record(nowMicros - written);
                    timed++;
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return (rows, timed);
    }

    private static bool TryGetInteger(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType switch
        {
            JsonTokenType.Number => reader.TryGetInt64(out value),
            JsonTokenType.String => !reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out value, out var consumed) && consumed == reader.ValueSpan.Length,
            _ => false,
        };
    }

    private static int CountRows(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }

        var rows = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            rows++;
            reader.Skip();
        }

        return rows;
    }
}
