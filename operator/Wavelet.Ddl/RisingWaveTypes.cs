using Wavelet.Api.V1Alpha1;

namespace Wavelet.Ddl;

/// <summary>How RisingWave's catalog names the types event columns are created with.</summary>
public static class RisingWaveTypes
{
    public static string CatalogName(string columnType) => columnType switch
    {
        ColumnTypes.String => "character varying",
        ColumnTypes.Int => "integer",
        ColumnTypes.BigInt => "bigint",
        ColumnTypes.Float => "double precision",
        ColumnTypes.Boolean => "boolean",
        ColumnTypes.Timestamp => "timestamp with time zone",
        ColumnTypes.Json => "jsonb",
        ColumnTypes.Decimal => "numeric",
        _ => throw new ArgumentOutOfRangeException(nameof(columnType), columnType, "unknown column type"),
    };
}
