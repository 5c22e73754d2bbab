using System.Buffers.Binary;
using System.Text;

namespace Wavelet.Engine;

/// <summary>One PostgreSQL v3 protocol message: a type byte (0 for startup-phase messages) and its body.</summary>
internal sealed record WireMessage(byte Type, byte[] Body)
{
    public byte[] ToBytes()
    {
        var hasType = Type != 0;
        var buffer = new byte[(hasType ? 1 : 0) + 4 + Body.Length];
        var offset = 0;
        if (hasType)
        {
            buffer[offset++] = Type;
        }

        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(offset), Body.Length + 4);
        Body.CopyTo(buffer, offset + 4);
        return buffer;
    }
}

internal static class Wire
{
    public const int SslRequestCode = 80877103;
    public const int GssRequestCode = 80877104;
    public const int CancelRequestCode = 80877102;

    /// <summary>Reads a typed message; null at end of stream.</summary>
    public static async Task<WireMessage?> ReadAsync(Stream stream, CancellationToken ct)
    {
        var header = new byte[5];
        if (!await ReadExactlyOrEndAsync(stream, header, ct))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        var body = new byte[length - 4];
        await stream.ReadExactlyAsync(body, ct);
        return new WireMessage(header[0], body);
    }

    /// <summary>Reads an untyped startup-phase message (length, then body).</summary>
    public static async Task<WireMessage?> ReadStartupAsync(Stream stream, CancellationToken ct)
    {
        var header = new byte[4];
        if (!await ReadExactlyOrEndAsync(stream, header, ct))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 8 or > 10_000)
        {
            throw new InvalidDataException($"Invalid startup message length {length}.");
        }

        var body = new byte[length - 4];
        await stream.ReadExactlyAsync(body, ct);
        return new WireMessage(0, body);
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0)
            {
                return read == 0 ? false : throw new EndOfStreamException();
            }

            read += n;
        }

        return true;
    }

    public static string ReadCString(byte[] body, ref int offset)
    {
        var end = Array.IndexOf(body, (byte)0, offset);
        var value = Encoding.UTF8.GetString(body, offset, end - offset);
        offset = end + 1;
        return value;
    }

    public static void WriteCString(List<byte> target, string value)
    {
        target.AddRange(Encoding.UTF8.GetBytes(value));
        target.Add(0);
    }

    /// <summary>The SQL of a Query ('Q') message.</summary>
    public static string QuerySql(WireMessage message)
    {
        var offset = 0;
        return ReadCString(message.Body, ref offset);
    }

    public static WireMessage Query(string sql)
    {
        var body = new List<byte>();
        WriteCString(body, sql);
        return new WireMessage((byte)'Q', [.. body]);
    }

    /// <summary>Splits a Parse ('P') message into statement name, SQL and the rest (parameter types).</summary>
    public static (string Name, string Sql, byte[] Tail) ParseParts(WireMessage message)
    {
        var offset = 0;
        var name = ReadCString(message.Body, ref offset);
        var sql = ReadCString(message.Body, ref offset);
        return (name, sql, message.Body[offset..]);
    }

    public static WireMessage Parse(string name, string sql, byte[] rest)
    {
        var body = new List<byte>();
        WriteCString(body, name);
        WriteCString(body, sql);
        body.AddRange(rest);
        return new WireMessage((byte)'P', [.. body]);
    }

    public static WireMessage ParameterStatus(string name, string value)
    {
        var body = new List<byte>();
        WriteCString(body, name);
        WriteCString(body, value);
        return new WireMessage((byte)'S', [.. body]);
    }

    public static Dictionary<string, string> StartupParameters(byte[] body)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var offset = 4;
        while (offset < body.Length && body[offset] != 0)
        {
            var key = ReadCString(body, ref offset);
            parameters[key] = ReadCString(body, ref offset);
        }

        return parameters;
    }

    public static WireMessage Startup(IReadOnlyDictionary<string, string> parameters)
    {
        var body = new List<byte> { 0, 3, 0, 0 };
        foreach (var (key, value) in parameters)
        {
            WriteCString(body, key);
            WriteCString(body, value);
        }

        body.Add(0);
        return new WireMessage(0, [.. body]);
    }

    public static WireMessage Error(string sqlState, string message)
    {
        var body = new List<byte>();
        body.Add((byte)'S');
        WriteCString(body, "ERROR");
        body.Add((byte)'V');
        WriteCString(body, "ERROR");
        body.Add((byte)'C');
        WriteCString(body, sqlState);
        body.Add((byte)'M');
        WriteCString(body, message);
        body.Add(0);
        return new WireMessage((byte)'E', [.. body]);
    }
}
