using Wavelet.Api.DataPlane;

namespace Wavelet.Bench.Harness;

/// <summary>
/// The benchmark's RisingWave objects: two tables keyed by (tenant, slot) and, over each, an MV with a subscription
/// named as the operator names them. <c>tenant_ticks</c> is filtered by tenant (claim <c>tenant</c>); <c>all_ticks</c> is
/// unfiltered. Every row carries <c>written_at</c>, the unix microseconds at which the driver wrote it.
/// </summary>
public static class BenchSchema
{
    public const string FilteredQuery = "tenant_ticks";
    public const string FilteredTable = "ticks";
    public const string BroadcastQuery = "all_ticks";
    public const string BroadcastTable = "broadcast_ticks";
    public const string TenantColumn = "tenant";
    public const string TimestampColumn = "written_at";

    public const string EventName = "bench_events";

    public static string TenantName(int index) => "t" + index.ToString(CultureInfo.InvariantCulture);

    public static string SubscriptionOf(string query) => "wavelet_sub_" + query;

    public static IEnumerable<string> CreateStatements()
    {
        foreach (var (query, table) in new[] { (FilteredQuery, FilteredTable), (BroadcastQuery, BroadcastTable) })
        {
            yield return $"CREATE TABLE {table} (tenant varchar, slot int, written_at bigint, payload varchar, PRIMARY KEY (tenant, slot))";
            yield return $"CREATE MATERIALIZED VIEW {query} AS SELECT tenant, slot, written_at, payload FROM {table}";
            yield return $"CREATE SUBSCRIPTION {SubscriptionOf(query)} FROM {query} WITH (retention = '1h')";
        }

        // Single-event POSTs (the writes scenario): no key, so a row written twice would be counted twice.
        yield return $"CREATE TABLE {EventName} (id varchar, tenant varchar)";
    }

    public static List<ColumnConfig> Columns() =>
    [
        new() { Name = "tenant", Type = "character varying" },
        new() { Name = "slot", Type = "integer" },
        new() { Name = "written_at", Type = "bigint" },
        new() { Name = "payload", Type = "character varying" },
    ];

    /// <summary>The data plane's config for the two queries, HS256 tokens with the key in <paramref name="secretEnv"/>.</summary>
    public static DataPlaneConfig Config(string secretEnv, long maxQueuedBytes) => new()
    {
        Project = "bench/wavelet-bench",
        Database = new DatabaseConfig { UrlEnv = "WAVELET_DATABASE_URL", Schema = "public" },
        Queries =
        [
            new QueryConfig
            {
                Name = FilteredQuery,
                Subscription = SubscriptionOf(FilteredQuery),
                FilterBy = TenantColumn,
                FilterClaim = TenantColumn,
                Columns = Columns(),
                SpecHash = "bench-1",
            },
            new QueryConfig
            {
                Name = BroadcastQuery,
                Subscription = SubscriptionOf(BroadcastQuery),
                Columns = Columns(),
                SpecHash = "bench-1",
            },
        ],
        Events =
        [
            new EventConfig
            {
                Name = EventName,
                Table = EventName,
                Columns = [new ColumnConfig { Name = "id", Type = "string" }, new ColumnConfig { Name = TenantColumn, Type = "string" }],
            },
        ],
        Auth = new AuthConfig { Jwt = new JwtConfig { SecretEnv = secretEnv }, Writes = "Authenticated" },
        // Every bench client connects from loopback, often with shared tokens: the per-client caps would measure themselves.
        Limits = new LimitsConfig { MaxQueuedBytesPerConnection = maxQueuedBytes, MaxConnectionsPerAddress = 0, MaxConnectionsPerToken = 0, WritesPerSecond = 0 },
    };
}
