namespace Wavelet.Api.V1Alpha1;

/// <summary>A change-data-capture source: tables of an external PostgreSQL database replicated into the project's schema.</summary>
[CelRule("!self.name.startsWith('_wavelet')", "source names must not start with the reserved prefix _wavelet", FieldPath = ".name")]
public sealed class SourceSpec
{
    [Required, RegularExpression(WaveletNames.IdentifierPattern), MaxLength(WaveletNames.MaxIdentifierLength)]
    [Description("Source name; also the name of the RisingWave source in the project's schema. Lowercase letters, digits and underscores, unique across sources, events and queries.")]
    public string Name { get; set; } = "";

    [Required, AllowedValues(SourceTypes.Postgres)]
    [Description("Kind of source. Only postgres (PostgreSQL logical replication, RisingWave's postgres-cdc connector) is supported.")]
    public string Type { get; set; } = SourceTypes.Postgres;

    [Required]
    [Description("How RisingWave connects to the source database. The password comes from a Secret.")]
    public SourceConnectionSpec Connection { get; set; } = new();

    [Required, MinLength(1), MaxLength(WaveletLimits.MaxSourceTables), ListMapKeys("table")]
    [Description("Tables to replicate; each becomes a table of the project's schema that queries read like an event.")]
    public List<SourceTableSpec> Tables { get; set; } = [];

    [RegularExpression(SourceNames.SlotPattern), MaxLength(WaveletNames.MaxIdentifierLength)]
    [Description("Replication slot on the source database. Default: wavelet_<namespace>_<project>_<source>, shortened with a hash to 63 characters, so two projects never share a slot. Lowercase letters, digits and underscores.")]
    public string? SlotName { get; set; }

    [RegularExpression(SourceNames.SlotPattern), MaxLength(WaveletNames.MaxIdentifierLength)]
    [Description("Publication on the source database listing the replicated tables; created when missing. Default: the slot name.")]
    public string? PublicationName { get; set; }
}

public sealed class SourceConnectionSpec
{
    [Required, MinLength(1), MaxLength(WaveletLimits.MaxHostLength), RegularExpression(SourceNames.HostPattern)]
    [Description("Host name or IP address of the source PostgreSQL server, as RisingWave reaches it.")]
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    [Description("Port of the source PostgreSQL server. Default: 5432.")]
    public int? Port { get; set; }

    [Required, MinLength(1), MaxLength(WaveletNames.MaxIdentifierLength), RegularExpression(SourceNames.PlainNamePattern)]
    [Description("Database holding the replicated tables.")]
    public string Database { get; set; } = "";

    [Required, MinLength(1), MaxLength(WaveletNames.MaxIdentifierLength), RegularExpression(SourceNames.PlainNamePattern)]
    [Description("User RisingWave replicates as; needs the REPLICATION attribute and SELECT on the tables (or ownership to create the publication).")]
    public string User { get; set; } = "";

    [Required]
    [Description("Secret key holding the user's password. The password is never written to the spec, the data-plane ConfigMap, events, logs or status.")]
    public SecretKeySelector PasswordSecretRef { get; set; } = new();

    [AllowedValues(SslModes.Disabled, SslModes.Preferred, SslModes.Required, SslModes.VerifyCa, SslModes.VerifyFull)]
    [Description("TLS to the source database: disabled, preferred, required, verify-ca or verify-full (RisingWave's ssl.mode). Default: disabled.")]
    public string? SslMode { get; set; }
}

public sealed class SourceTableSpec
{
    [Required, RegularExpression(SourceNames.UpstreamTablePattern), MaxLength(2 * WaveletNames.MaxIdentifierLength + 1)]
    [Description("The table in the source database as schema.table, e.g. public.orders.")]
    public string Table { get; set; } = "";

    [RegularExpression(WaveletNames.IdentifierPattern), MaxLength(WaveletNames.MaxIdentifierLength)]
    [Description("Name of the replicated table in the project's schema. Default: the table part of table (orders for public.orders). Unique across sources, events and queries.")]
    public string? Name { get; set; }

    [Required, MinLength(1), MaxLength(WaveletLimits.MaxColumns), ListMapKeys("name")]
    [Description("Columns to replicate, with the type matching the source column: string (text/varchar), int, bigint, float (double precision), boolean, timestamp (timestamptz), json (jsonb) or decimal (numeric).")]
    public List<ColumnSpec> Columns { get; set; } = [];

    [Required, MinLength(1), MaxLength(WaveletLimits.MaxColumns)]
    [Description("The source table's primary key columns, in order (RisingWave needs the key to apply updates and deletes). Each must be one of columns.")]
    public List<string> PrimaryKey { get; set; } = [];
}

public static class SourceTypes
{
    public const string Postgres = "postgres";
    public static readonly IReadOnlyList<string> All = [Postgres];
}

/// <summary>RisingWave's ssl.mode values for postgres-cdc.</summary>
public static class SslModes
{
    public const string Disabled = "disabled";
    public const string Preferred = "preferred";
    public const string Required = "required";
    public const string VerifyCa = "verify-ca";
    public const string VerifyFull = "verify-full";
    public static readonly IReadOnlyList<string> All = [Disabled, Preferred, Required, VerifyCa, VerifyFull];
}
