namespace Wavelet.Api.DataPlane;

/// <summary>
/// The file the operator renders into the data plane's ConfigMap (config.json) and the data plane reads and live-reloads.
/// Secrets never appear here: only the names of environment variables that carry them.
/// </summary>
public sealed class DataPlaneConfig
{
    public const int CurrentVersion = 1;
    public const string FileName = "config.json";

    public int Version { get; set; } = CurrentVersion;

    /// <summary>namespace/name of the owning WaveletProject, for logs and metrics.</summary>
    public string Project { get; set; } = "";

    public DatabaseConfig Database { get; set; } = new();
    public List<QueryConfig> Queries { get; set; } = [];
    public List<EventConfig> Events { get; set; } = [];
    public AuthConfig Auth { get; set; } = new();
    public LimitsConfig Limits { get; set; } = new();
    public CorsConfig? Cors { get; set; }

    /// <summary>Upstream (bigint/numeric as JSON strings, as node-postgres delivers them) or Numbers.</summary>
    public string ValueShape { get; set; } = "Upstream";

    /// <summary>The MCP endpoint; null or disabled: /mcp answers 404.</summary>
    public McpConfig? Mcp { get; set; }
}

public sealed class McpConfig
{
    public bool Enabled { get; set; }
}

public sealed class DatabaseConfig
{
    /// <summary>Environment variable holding the postgres:// URL of RisingWave.</summary>
    public string UrlEnv { get; set; } = "WAVELET_DATABASE_URL";

    /// <summary>The project's schema, where its tables, MVs and subscriptions live.</summary>
    public string Schema { get; set; } = "public";
}

public sealed class QueryConfig
{
    public string Name { get; set; } = "";

    /// <summary>Subscription the feed follows (unqualified; it lives in <see cref="DatabaseConfig.Schema"/>).</summary>
    public string Subscription { get; set; } = "";

    public string? FilterBy { get; set; }
    public string? FilterClaim { get; set; }

    /// <summary>The MV's visible columns in cursor order (from rw_columns).</summary>
    public List<ColumnConfig> Columns { get; set; } = [];

    /// <summary>Hash of the query's SQL and subscription settings; a change means the feed must restart with a fresh snapshot.</summary>
    public string SpecHash { get; set; } = "";

    public WebhookConfig? Webhook { get; set; }
}

public sealed class ColumnConfig
{
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
}

public sealed class WebhookConfig
{
    public string Url { get; set; } = "";

    /// <summary>Environment variable holding the HMAC signing key (required: the data plane never posts unsigned).</summary>
    public string? SecretEnv { get; set; }
}

public sealed class EventConfig
{
    public string Name { get; set; } = "";

    /// <summary>Table name (unqualified) in the project's schema.</summary>
    public string Table { get; set; } = "";

    /// <summary>Columns with the CRD's column types (string, int, ...).</summary>
    public List<ColumnConfig> Columns { get; set; } = [];
}

public sealed class AuthConfig
{
    public JwtConfig? Jwt { get; set; }

    /// <summary>Authenticated or Public.</summary>
    public string Writes { get; set; } = "Authenticated";
}

public sealed class JwtConfig
{
    /// <summary>Environment variable holding the HS256 key.</summary>
    public string? SecretEnv { get; set; }

    public string? JwksUrl { get; set; }
    public string? Issuer { get; set; }
    public string? Audience { get; set; }

    /// <summary>Accept tokens without an exp claim (long-lived tokens). Default: refused.</summary>
    public bool AllowTokensWithoutExpiry { get; set; }

    /// <summary>Tolerance for exp and nbf against the server's clock, in seconds (at most 300).</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Union (default): an array filter claim grants the rows of each value. Single: such a token is refused.</summary>
    public string ArrayClaims { get; set; } = "Union";
}

public sealed class LimitsConfig
{
    /// <summary>Bytes queued for one socket before it is closed as a slow consumer.</summary>
    public long MaxQueuedBytesPerConnection { get; set; } = 4 * 1024 * 1024;

    /// <summary>Recent epochs kept per query for cursor resume.</summary>
    public int ResumeEpochs { get; set; } = 1024;

    /// <summary>Largest accepted HTTP request body.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Rows accepted by one batch write.</summary>
    public int MaxBatchRows { get; set; } = 1000;

    /// <summary>Open WebSockets per client address; more get 429 before the upgrade. 0: no cap.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 1000;

    /// <summary>Open WebSockets per token; more get 429 before the upgrade. 0: no cap.</summary>
    public int MaxConnectionsPerToken { get; set; } = 100;

    /// <summary>Event writes per second per client address (token bucket); more get 429. 0: no limit.</summary>
    public int WritesPerSecond { get; set; } = 200;

    /// <summary>Token-bucket size of the write limit.</summary>
    public int WriteBurst { get; set; } = 400;
}

public sealed class CorsConfig
{
    public List<string> AllowedOrigins { get; set; } = [];
}
