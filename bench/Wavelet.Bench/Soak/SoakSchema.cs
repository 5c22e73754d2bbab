using Wavelet.Api.DataPlane;

namespace Wavelet.Bench.Soak;

/// <summary>
/// The soak's RisingWave objects: one table written three ways (HTTP single, HTTP batch, SQL) and four MVs over it,
/// each with a subscription. <c>by_tenant</c> is filtered by the tenant claim, <c>even</c> is unfiltered and has a
/// predicate (SQL updates move rows in and out of it); <c>extra</c> is added, changed and removed by live reloads.
/// </summary>
public static class SoakSchema
{
    public const string Table = "soak_rows";
    public const string FilteredQuery = "by_tenant";
    public const string UnfilteredQuery = "even";
    public const string ExtraQuery = "extra";
    public const string TenantColumn = "tenant";

    /// <summary>MV name by its SQL body; every MV gets a subscription <c>wavelet_sub_&lt;mv&gt;</c>.</summary>
    public static IReadOnlyDictionary<string, string> Views { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["soak_by_tenant"] = $"SELECT id, tenant, v, written_at FROM {Table}",
        ["soak_even"] = $"SELECT id, tenant, v, written_at FROM {Table} WHERE v % 2 = 0",
        ["soak_extra_a"] = $"SELECT id, tenant, v, written_at FROM {Table} WHERE v = 0",
        ["soak_extra_b"] = $"SELECT id, tenant, v, written_at FROM {Table} WHERE v > 0",
    };

    public static IEnumerable<string> CreateStatements()
    {
        yield return $"CREATE TABLE {Table} (id varchar, tenant varchar, v int, written_at bigint)";
        foreach (var (view, body) in Views)
        {
            yield return $"CREATE MATERIALIZED VIEW {view} AS {body}";
            yield return $"CREATE SUBSCRIPTION wavelet_sub_{view} FROM {view} WITH (retention = '1h')";
        }
    }

    /// <summary>The rows of <paramref name="view"/> a client of it should hold: (id, v) for one tenant or for all.</summary>
    public static string TruthSql(string view, bool byTenant) =>
        $"SELECT id, v::text FROM {view}" + (byTenant ? " WHERE tenant = $1" : "");

    /// <summary>The MV a query follows in the given extra-query stage (null: the query is not configured).</summary>
    public static string ViewOf(string query, ExtraStage stage) => query switch
    {
        FilteredQuery => "soak_by_tenant",
        UnfilteredQuery => "soak_even",
        _ => stage == ExtraStage.Changed ? "soak_extra_b" : "soak_extra_a",
    };

    public static DataPlaneConfig Config(string secretEnv, long maxQueuedBytes, ExtraStage extra)
    {
        var queries = new List<QueryConfig>
        {
            Query(FilteredQuery, "soak_by_tenant", TenantColumn, "1"),
            Query(UnfilteredQuery, "soak_even", null, "1"),
        };
        if (extra != ExtraStage.Absent)
        {
            queries.Add(extra == ExtraStage.Added
                ? Query(ExtraQuery, "soak_extra_a", null, "a")
                : Query(ExtraQuery, "soak_extra_b", null, "b"));
        }

        return new DataPlaneConfig
        {
            Project = "bench/wavelet-soak",
            Database = new DatabaseConfig { UrlEnv = "WAVELET_DATABASE_URL", Schema = "public" },
            Queries = queries,
            Events =
            [
                new EventConfig
                {
                    Name = Table,
                    Table = Table,
                    Columns =
                    [
                        new ColumnConfig { Name = "id", Type = "string" },
                        new ColumnConfig { Name = TenantColumn, Type = "string" },
                        new ColumnConfig { Name = "v", Type = "int" },
                        // Event types have no 64-bit integer; microseconds since 1970 are exact in a double.
                        new ColumnConfig { Name = "written_at", Type = "float" },
                    ],
                },
            ],
            Auth = new AuthConfig { Jwt = new JwtConfig { SecretEnv = secretEnv }, Writes = "Authenticated" },
            // Every client connects from 127.0.0.1 and a tenant's clients share a token: the per-address and per-token caps
            // (1,000 and 100 by default) would refuse the long size's 2,200 clients, which is not what the soak measures.
            Limits = new LimitsConfig { MaxQueuedBytesPerConnection = maxQueuedBytes, MaxConnectionsPerAddress = 0, MaxConnectionsPerToken = 0, WritesPerSecond = 0 },
        };
    }

    private static QueryConfig Query(string name, string view, string? filterBy, string specHash) => new()
    {
        Name = name,
        Subscription = "wavelet_sub_" + view,
        FilterBy = filterBy,
        FilterClaim = filterBy,
        SpecHash = specHash,
        Columns =
        [
            new ColumnConfig { Name = "id", Type = "character varying" },
            new ColumnConfig { Name = TenantColumn, Type = "character varying" },
            new ColumnConfig { Name = "v", Type = "integer" },
            new ColumnConfig { Name = "written_at", Type = "bigint" },
        ],
    };
}

/// <summary>Where the live-reloaded <c>extra</c> query is in its life.</summary>
public enum ExtraStage
{
    Absent,
    Added,
    Changed,
}
