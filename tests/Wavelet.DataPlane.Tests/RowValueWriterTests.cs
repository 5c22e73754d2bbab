using NpgsqlTypes;

namespace Wavelet.DataPlane.Tests;

/// <summary>Edge cases of the upstream value shape that a round trip through the simulator does not reach easily.</summary>
public sealed class RowValueWriterTests
{
    public static TheoryData<object?, string> Cases => new()
    {
        { DateTime.MaxValue, "null" }, // 'infinity' → Infinity → JSON null
        { DateTime.MinValue, "null" },
        { new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(9_999), "\"2024-01-02T03:04:05.000Z\"" }, // truncated, not rounded
        { new NpgsqlInterval(14, 0, 0), "{\"years\":1,\"months\":2}" },
        { new NpgsqlInterval(-14, 0, 0), "{\"years\":-1,\"months\":-2}" },
        { new NpgsqlInterval(0, -3, 4L * 3_600_000_000), "{\"days\":-3,\"hours\":4}" },
        { new NpgsqlInterval(0, 0, 100L * 3_600_000_000 + 1), "{\"hours\":100,\"milliseconds\":0.001}" },
        { new[,] { { 1, 2 }, { 3, 4 } }, "[[1,2],[3,4]]" },
        { new long?[] { 5, null }, "[\"5\",null]" },
        { float.NaN, "null" },
        { double.NegativeInfinity, "null" },
        { new TimeOnly(7, 8, 9), "\"07:08:09\"" },
        { Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), "\"0f8fad5b-d9cb-469f-a165-70867728950e\"" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_what_node_postgres_and_json_stringify_produce(object? value, string expected)
    {
        Assert.Equal(expected, Write(value, ValueShape.Upstream));
    }

    [Fact]
    public void Numbers_changes_only_bigint_and_numeric()
    {
        Assert.Equal(("\"9007199254740993\"", "9007199254740993"), (Write(9007199254740993L, ValueShape.Upstream), Write(9007199254740993L, ValueShape.Numbers)));
        Assert.Equal(("\"-0.10\"", "-0.10"), (Write(-0.10m, ValueShape.Upstream), Write(-0.10m, ValueShape.Numbers)));
        Assert.Equal(Write(new byte[] { 1 }, ValueShape.Upstream), Write(new byte[] { 1 }, ValueShape.Numbers));
        Assert.Equal(Write(new NpgsqlInterval(0, 1, 0), ValueShape.Upstream), Write(new NpgsqlInterval(0, 1, 0), ValueShape.Numbers));
    }

    private static string Write(object? value, ValueShape shape)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            RowValueWriter.Write(writer, value, shape);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
