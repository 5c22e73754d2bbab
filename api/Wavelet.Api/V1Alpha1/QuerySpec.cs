namespace Wavelet.Api.V1Alpha1;

/// <summary>A live query: a materialized view plus the subscription the data plane follows.</summary>
public sealed class QuerySpec
{
    public string Name { get; set; } = "";

    /// <summary>The SELECT body of the materialized view, sent to RisingWave verbatim.</summary>
    public string Sql { get; set; } = "";

    /// <summary>Column whose value must match the caller's JWT claim; unset means every caller sees every row.</summary>
    public string? FilterBy { get; set; }

    /// <summary>JWT claim compared with <see cref="FilterBy"/>; default: the same name as FilterBy.</summary>
    public string? FilterClaim { get; set; }

    /// <summary>Subscription retention override for this query (e.g. 2h).</summary>
    public string? Retention { get; set; }

    public WebhookSpec? Webhook { get; set; }
}

public sealed class WebhookSpec
{
    /// <summary>http(s) URL that receives every diff as a signed POST.</summary>
    public string Url { get; set; } = "";

    /// <summary>Secret key with the HMAC-SHA256 signing key.</summary>
    public SecretKeySelector? SecretRef { get; set; }
}
