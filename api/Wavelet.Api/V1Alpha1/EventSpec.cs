namespace Wavelet.Api.V1Alpha1;

/// <summary>An event stream: a table clients append rows to through the HTTP API.</summary>
public sealed class EventSpec
{
    public string Name { get; set; } = "";
    public List<ColumnSpec> Columns { get; set; } = [];
}

public sealed class ColumnSpec
{
    public string Name { get; set; } = "";

    /// <summary>One of <see cref="ColumnTypes.All"/>.</summary>
    public string Type { get; set; } = "";
}

/// <summary>Event column types and their RisingWave SQL types (upstream Wavelet's mapping plus bigint and decimal).</summary>
public static class ColumnTypes
{
    public const string String = "string";
    public const string Int = "int";
    public const string BigInt = "bigint";
    public const string Float = "float";
    public const string Boolean = "boolean";
    public const string Timestamp = "timestamp";
    public const string Json = "json";
    public const string Decimal = "decimal";

    public static readonly IReadOnlyList<string> All = [String, Int, BigInt, Float, Boolean, Timestamp, Json, Decimal];

    public static string ToSqlType(string type) => type switch
    {
        String => "VARCHAR",
        Int => "INT",
        BigInt => "BIGINT",
        Float => "DOUBLE PRECISION",
        Boolean => "BOOLEAN",
        Timestamp => "TIMESTAMPTZ",
        Json => "JSONB",
        Decimal => "DECIMAL",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, $"unknown column type; use one of {string.Join(", ", All)}"),
    };
}
