using System.Globalization;
using System.Text.Json;
using NpgsqlTypes;

namespace Wavelet.DataPlane.State;

/// <summary>
/// Writes one column value the way upstream Wavelet's server sends it: node-postgres 8 (pg-types 2) parses the text
/// protocol value and the server JSON.stringifies the result. So int2/int4/float are numbers, int8 and numeric strings,
/// dates and timestamps Date objects (ISO 8601 UTC with milliseconds), intervals postgres-interval objects (the non-zero
/// fields only), bytea a Buffer, json/jsonb the parsed value, NaN/Infinity null. <see cref="ValueShape.Numbers"/>
/// differs only in writing int8 and numeric as numbers. Upstream's server is assumed to run with TZ=UTC (its
/// container default): a timestamp without time zone or a date is then read as UTC.
/// </summary>
public static class RowValueWriter
{
    private const string IsoFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static void Write(Utf8JsonWriter writer, object? value, ValueShape shape)
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
            case uint n:
                writer.WriteNumberValue(n);
                break;
            case long n when shape == ValueShape.Numbers:
                writer.WriteNumberValue(n);
                break;
            case long n:
                writer.WriteStringValue(n.ToString(CultureInfo.InvariantCulture));
                break;
            case decimal n when shape == ValueShape.Numbers:
                writer.WriteNumberValue(n);
                break;
            case decimal n:
                writer.WriteStringValue(n.ToString(CultureInfo.InvariantCulture));
                break;
            case float n:
                WriteDouble(writer, n);
                break;
            case double n:
                WriteDouble(writer, n);
                break;
            case DateTime t:
                WriteDate(writer, t);
                break;
            case DateOnly d:
                // node-postgres reads a date as local midnight: under TZ=UTC, midnight UTC.
                WriteDate(writer, d == DateOnly.MaxValue || d == DateOnly.MinValue ? DateTime.MaxValue : d.ToDateTime(TimeOnly.MinValue));
                break;
            case DateTimeOffset t:
                // timetz: pg-types leaves it as PostgreSQL's text.
                writer.WriteStringValue(TimeText(t.TimeOfDay) + OffsetText(t.Offset));
                break;
            case TimeOnly t:
                writer.WriteStringValue(TimeText(t.ToTimeSpan()));
                break;
            case TimeSpan t:
                // time: pg-types leaves it as PostgreSQL's text (HH:MM:SS[.ffffff]).
                writer.WriteStringValue(TimeText(t));
                break;
            case NpgsqlInterval interval:
                WriteInterval(writer, interval);
                break;
            case byte[] bytes:
                WriteBuffer(writer, bytes);
                break;
            case JsonElement e:
                e.WriteTo(writer);
                break;
            case decimal[] numerics:
                // pg-types parses numeric[] with parseFloat: numbers, unlike a numeric scalar.
                writer.WriteStartArray();
                foreach (var n in numerics)
                {
                    WriteDouble(writer, (double)n);
                }

                writer.WriteEndArray();
                break;
            case Array array:
                WriteArray(writer, array, 0, new int[array.Rank], shape);
                break;
            default:
                writer.WriteStringValue(Row.KeyOf(value));
                break;
        }
    }

    private static string TimeText(TimeSpan t) =>
        t.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? @"hh\:mm\:ss" : @"hh\:mm\:ss\.FFFFFF", CultureInfo.InvariantCulture);

    private static string OffsetText(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + (abs.Minutes == 0 ? "" : ":" + abs.Minutes.ToString("00", CultureInfo.InvariantCulture));
    }

    private static void WriteDouble(Utf8JsonWriter writer, double n)
    {
        if (double.IsFinite(n))
        {
            writer.WriteNumberValue(n);
        }
        else
        {
            writer.WriteNullValue(); // JSON.stringify(NaN) and of ±Infinity
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, float n)
    {
        if (float.IsFinite(n))
        {
            writer.WriteNumberValue(n);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteDate(Utf8JsonWriter writer, DateTime t)
    {
        if (t == DateTime.MaxValue || t == DateTime.MinValue)
        {
            writer.WriteNullValue(); // 'infinity' parses to Infinity, which JSON.stringify writes as null
            return;
        }

        var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t;
        writer.WriteStringValue(utc.ToString(IsoFormat, CultureInfo.InvariantCulture)); // fff truncates: Date keeps whole milliseconds
    }

    /// <summary>postgres-interval 1.x: years, months, days, hours, minutes, seconds, milliseconds; zero fields left out.</summary>
    private static void WriteInterval(Utf8JsonWriter writer, NpgsqlInterval interval)
    {
        var micros = interval.Time;
        var negativeTime = micros < 0;
        var magnitude = Math.Abs(micros);
        var hours = magnitude / 3_600_000_000L;
        var minutes = magnitude / 60_000_000L % 60;
        var seconds = magnitude / 1_000_000L % 60;
        var fraction = magnitude % 1_000_000L;
        var sign = negativeTime ? -1 : 1;
        writer.WriteStartObject();
        WriteField(writer, "years", interval.Months / 12);
        WriteField(writer, "months", interval.Months % 12);
        WriteField(writer, "days", interval.Days);
        WriteField(writer, "hours", sign * hours);
        WriteField(writer, "minutes", sign * minutes);
        WriteField(writer, "seconds", sign * seconds);
        if (fraction != 0)
        {
            writer.WriteNumber("milliseconds", sign * fraction / 1000.0);
        }

        writer.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter writer, string name, long value)
    {
        if (value != 0)
        {
            writer.WriteNumber(name, value);
        }
    }

    private static void WriteBuffer(Utf8JsonWriter writer, byte[] bytes)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Buffer");
        writer.WriteStartArray("data");
        foreach (var b in bytes)
        {
            writer.WriteNumberValue(b);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter writer, Array array, int dimension, int[] indices, ValueShape shape)
    {
        writer.WriteStartArray();
        var lower = array.GetLowerBound(dimension);
        for (var i = lower; i <= array.GetUpperBound(dimension); i++)
        {
            indices[dimension] = i;
            if (dimension == array.Rank - 1)
            {
                Write(writer, array.GetValue(indices), shape);
            }
            else
            {
                WriteArray(writer, array, dimension + 1, indices, shape);
            }
        }

        writer.WriteEndArray();
    }
}
