namespace Wavelet.Api.V1Alpha1;

/// <summary>A live query: a materialized view plus the subscription the data plane follows.</summary>
[CelRule("!self.name.startsWith('_wavelet')", "query names must not start with the reserved prefix _wavelet", FieldPath = ".name")]
[CelRule("!has(self.filterClaim) || has(self.filterBy)", "filterClaim needs filterBy: set the column compared with the claim", FieldPath = ".filterClaim")]
public sealed class QuerySpec
{
    [Required, RegularExpression(WaveletNames.IdentifierPattern), MaxLength(WaveletNames.MaxQueryNameLength)]
    [Description("Query name; also the name of its materialized view (its subscription is wavelet_sub_<name>). Lowercase letters, digits and underscores, at most 51 characters, unique across events and queries.")]
    public string Name { get; set; } = "";

    /// <summary>The SELECT body of the materialized view, sent to RisingWave verbatim.</summary>
    [Required, MinLength(1), MaxLength(WaveletLimits.MaxSqlLength)]
    [Description("The SELECT statement of the materialized view, sent to RisingWave verbatim. It may read the project's events and other queries by name. A single statement; a trailing ';' is ignored.")]
    public string Sql { get; set; } = "";

    /// <summary>Column whose value must match the caller's JWT claim; unset means every caller sees every row.</summary>
    [RegularExpression(WaveletNames.IdentifierPattern), MaxLength(WaveletNames.MaxIdentifierLength)]
    [Description("Column of the query's result compared with the caller's JWT claim: a client only sees rows whose value equals its claim. Unset: every client sees every row. Needs spec.auth.jwt.")]
    public string? FilterBy { get; set; }

    /// <summary>JWT claim compared with <see cref="FilterBy"/>; default: the same name as FilterBy.</summary>
    [MinLength(1), MaxLength(WaveletLimits.MaxClaimLength)]
    [Description("JWT claim compared with filterBy. Default: the claim with the same name as filterBy.")]
    public string? FilterClaim { get; set; }

    /// <summary>Subscription retention override for this query (e.g. 2h).</summary>
    [RegularExpression(Wavelet.Api.Retention.Pattern)]
    [Description("Retention of this query's subscription, overriding spec.risingwave.subscriptionRetention, e.g. 2h.")]
    public string? Retention { get; set; }

    [Description("Sends every change of the query's result to an HTTP endpoint.")]
    public WebhookSpec? Webhook { get; set; }
}

public sealed class WebhookSpec
{
    /// <summary>http(s) URL that receives every diff as a signed POST.</summary>
    [Required, RegularExpression("^https?://[^\\s]+$"), MaxLength(WaveletLimits.MaxUrlLength)]
    [Description("http or https URL that receives each change of the query's result as a POST signed with HMAC-SHA256.")]
    public string Url { get; set; } = "";

    /// <summary>Secret key with the HMAC-SHA256 signing key.</summary>
    [Required]
    [Description("Secret key holding the HMAC-SHA256 signing key; the receiver verifies the signature header with it.")]
    public SecretKeySelector? SecretRef { get; set; }
}
