namespace Wavelet.Api.V1Alpha1;

/// <summary>An event stream: a table clients append rows to through the HTTP API.</summary>
[CelRule("!self.name.startsWith('_wavelet')", "event names must not start with the reserved prefix _wavelet", FieldPath = ".name")]
public sealed class EventSpec
{
    [Required, RegularExpression(WaveletNames.IdentifierPattern), MaxLength(WaveletNames.MaxIdentifierLength)]
    [Description("Event name; also the name of its table. Lowercase letters, digits and underscores, unique across events and queries.")]
    public string Name { get; set; } = "";

    [Required, MinLength(1), MaxLength(WaveletLimits.MaxColumns)]
    [ListMapKeys("name")]
    [Description("Columns of the event's table, in order.")]
    public List<ColumnSpec> Columns { get; set; } = [];
}

public sealed class ColumnSpec
{
    [Required, RegularExpression(WaveletNames.IdentifierPattern), MaxLength(WaveletNames.MaxIdentifierLength)]
    [Description("Column name: lowercase letters, digits and underscores.")]
    public string Name { get; set; } = "";

    /// <summary>One of <see cref="ColumnTypes.All"/>.</summary>
    [Required]
    [AllowedValues(ColumnTypes.String, ColumnTypes.Int, ColumnTypes.BigInt, ColumnTypes.Float, ColumnTypes.Boolean, ColumnTypes.Timestamp, ColumnTypes.Json, ColumnTypes.Decimal)]
    [Description("Column type: string (VARCHAR), int (INT), bigint (BIGINT), float (DOUBLE PRECISION), boolean, timestamp (TIMESTAMPTZ), json (JSONB) or decimal.")]
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
