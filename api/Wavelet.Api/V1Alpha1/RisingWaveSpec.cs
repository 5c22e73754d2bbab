namespace Wavelet.Api.V1Alpha1;

public sealed class RisingWaveSpec
{
    /// <summary>Secret key holding a postgres:// URL of the RisingWave frontend.</summary>
    [Required]
    [Description("Secret key holding the postgres:// URL of the RisingWave frontend (user, password, host, port, database).")]
    public SecretKeySelector ConnectionSecretRef { get; set; } = new();

    /// <summary>Schema the project owns; default: the resource name with '-' replaced by '_'.</summary>
    [RegularExpression(WaveletNames.IdentifierPattern), MaxLength(WaveletNames.MaxIdentifierLength)]
    [CelRule("!self.startsWith('_wavelet') && !self.startsWith('pg_') && self != 'public' && self != 'information_schema' && self != 'rw_catalog'", "schema must not be public, a system schema or start with _wavelet")]
    [Description("RisingWave schema the project owns; its tables, materialized views and subscriptions live there. Default: the resource name with '-' replaced by '_'. public and system schemas are refused; a schema already managed by another project is refused; an existing schema Wavelet did not create is refused when it holds objects, unless adoptExistingSchema is true.")]
    public string? Schema { get; set; }

    /// <summary>Use an existing, non-empty schema Wavelet did not create; its objects are never recorded as owned, so never dropped.</summary>
    [Description("Use an existing schema that already holds objects Wavelet did not create. Those objects are never recorded as the project's, so deletionPolicy: Delete never drops them, and replacing one (a materialized view with a query's name) needs spec.ddl.allowDestructiveChanges. Default: false (such a schema is refused).")]
    public bool? AdoptExistingSchema { get; set; }

    /// <summary>Other schemas the project's queries may read; checked from RisingWave's dependency catalog.</summary>
    [MaxLength(WaveletLimits.MaxReadSchemas)]
    [Description("Other schemas the project's queries may read (e.g. shared reference data). By default a query may read only the project's own schema: after creating a query's materialized view the operator checks what it reads in RisingWave's dependency catalog, and drops it again and reports ReadOutsideSchema if it reads any other schema not listed here. The real boundary is the project's RisingWave user and its grants (docs/security.md).")]
    public List<string>? ReadSchemas { get; set; }

    /// <summary>Subscription retention, e.g. 24h, 30m, 2d. Default 24h.</summary>
    [RegularExpression(Retention.Pattern)]
    [Description("How long each query's subscription keeps changes, so clients and data-plane pods can resume: a whole number and a unit s, m, h or d, e.g. 30m, 24h, 7d. Default: 24h.")]
    public string? SubscriptionRetention { get; set; }
}
