using System.Globalization;
using System.Text.RegularExpressions;

namespace Wavelet.Engine;

/// <summary>What the proxy needs to know to serve one RisingWave statement with PostgreSQL.</summary>
internal sealed record RewrittenStatement(string Sql)
{
    /// <summary>Run a barrier before forwarding (FLUSH).</summary>
    public bool BarrierFirst { get; init; }

    /// <summary>A subscription-cursor FETCH: the proxy may wait for rows and applies FETCH faults.</summary>
    public string? FetchCursor { get; init; }

    public TimeSpan? FetchTimeout { get; init; }

    public bool IsDml { get; init; }

    public bool? SetsImplicitFlush { get; init; }

    /// <summary>A DECLARE: cursor and subscription names, so a FETCH later in the same simple query can be rewritten.</summary>
    public (string Cursor, string Subscription)? Declares { get; init; }
}

/// <summary>Looks up session state the rewrite depends on.</summary>
internal interface IRewriteContext
{
    long NowMs { get; }

    long LastEpoch { get; }

    /// <summary>The column definition list of a subscription cursor of this session; "" when the subscription is gone; null when no such cursor.</summary>
    Task<string?> CursorColumnsAsync(string cursor, CancellationToken ct);
}

/// <summary>
/// Rewrites RisingWave-only statements into plain PostgreSQL (calls to the _rwsim functions), so that PostgreSQL
/// executes them and encodes every result. Other statements pass through, with RisingWave's DOUBLE accepted.
/// </summary>
internal static partial class StatementRewriter
{
    private const string Name = @"(?:""(?:[^""]|"""")+""|[A-Za-z_][A-Za-z0-9_$]*)";
    private const string QualifiedName = Name + @"(?:\s*\.\s*" + Name + ")?";

    public static async Task<RewrittenStatement> RewriteAsync(string sql, IRewriteContext context, CancellationToken ct)
    {
        var text = sql.Trim().TrimEnd(';').Trim();
        Match m;
        if ((m = CreateMv().Match(text)).Success)
        {
            return Call($"_rwsim.create_mv({Lit(m.Groups["name"].Value)}, {Bool(m.Groups["ine"].Success)}, {Lit(m.Groups["body"].Value)})");
        }

        if ((m = DropMv().Match(text)).Success)
        {
            return Call($"_rwsim.drop_mv({Lit(m.Groups["name"].Value)}, {Bool(m.Groups["ie"].Success)})");
        }

        if ((m = CreateSubscription().Match(text)).Success)
        {
            var retention = SqlText.RetentionSeconds(m.Groups["retention"].Value);
            return retention is null
                ? Raise($"Invalid Parameter Value: Invalid retention: {m.Groups["retention"].Value}, expected a duration such as '1D', '30m' or '24h'")
                : Call($"_rwsim.create_subscription({Lit(m.Groups["name"].Value)}, {Bool(m.Groups["ine"].Success)}, {Lit(m.Groups["target"].Value)}, {retention}, {context.LastEpoch})");
        }

        if (text.StartsWith("CREATE SUBSCRIPTION", StringComparison.OrdinalIgnoreCase))
        {
            return Raise("Invalid input syntax: CREATE SUBSCRIPTION requires WITH (retention = '<duration>')");
        }

        if ((m = DropSubscription().Match(text)).Success)
        {
            return Call($"_rwsim.drop_subscription({Lit(m.Groups["name"].Value)}, {Bool(m.Groups["ie"].Success)})");
        }

        if ((m = AlterSubscription().Match(text)).Success)
        {
            var retention = SqlText.RetentionSeconds(m.Groups["retention"].Value);
            return retention is null
                ? Raise($"Invalid Parameter Value: Invalid retention: {m.Groups["retention"].Value}")
                : Call($"_rwsim.alter_subscription({Lit(m.Groups["name"].Value)}, {retention})");
        }

        if ((m = DeclareCursor().Match(text)).Success)
        {
            return Declare(m, context);
        }

        if ((m = Fetch().Match(text)).Success)
        {
            return await FetchAsync(m, context, ct);
        }

        if ((m = Close().Match(text)).Success)
        {
            var cursor = m.Groups["cursor"].Value;
            if (cursor.Equals("ALL", StringComparison.OrdinalIgnoreCase))
            {
                return Call("_rwsim.close_cursor(NULL)");
            }

            return await context.CursorColumnsAsync(SqlText.Unquote(cursor), ct) is null
                ? new RewrittenStatement(sql)
                : Call($"_rwsim.close_cursor({SqlText.Literal(SqlText.Unquote(cursor))})");
        }

        if (Flush().IsMatch(text))
        {
            return new RewrittenStatement(SqlText.Do("NULL;")) { BarrierFirst = true };
        }

        if ((m = ImplicitFlush().Match(text)).Success)
        {
            var on = m.Groups["value"].Value.Trim('\'').ToUpperInvariant() is "TRUE" or "ON" or "1";
            return new RewrittenStatement(SqlText.Do("NULL;")) { SetsImplicitFlush = on };
        }

        if (TableDdl().IsMatch(text))
        {
            return new RewrittenStatement(Double().Replace(sql, "DOUBLE PRECISION"));
        }

        return new RewrittenStatement(sql) { IsDml = Dml().IsMatch(text) };
    }

    public static RewrittenStatement Raise(string message, string sqlState = "XX000") =>
        Call($"_rwsim.raise({SqlText.Literal(message)}, {SqlText.Literal(sqlState)})");

    private static RewrittenStatement Declare(Match m, IRewriteContext context)
    {
        var cursor = SqlText.Literal(SqlText.Unquote(m.Groups["cursor"].Value));
        var subscription = Lit(m.Groups["sub"].Value);
        var since = m.Groups["since"].Value;
        var (mode, value) = m.Groups["full"].Success ? ("full", "NULL")
            : since.Length == 0 || since.StartsWith("now", StringComparison.OrdinalIgnoreCase) ? ("now", "NULL")
            : since.StartsWith("begin", StringComparison.OrdinalIgnoreCase) ? ("begin", "NULL")
            : ("since", long.Parse(since, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        return Call($"_rwsim.declare_cursor({cursor}, {subscription}, '{mode}', {value}, {context.NowMs})") with
        {
            Declares = (SqlText.Unquote(m.Groups["cursor"].Value), Regex.Replace(m.Groups["sub"].Value, @"\s*\.\s*", ".")),
        };
    }

    private static async Task<RewrittenStatement> FetchAsync(Match m, IRewriteContext context, CancellationToken ct)
    {
        var cursor = SqlText.Unquote(m.Groups["cursor"].Value);
        var count = m.Groups["count"].Value.Equals("NEXT", StringComparison.OrdinalIgnoreCase) ? 1 : int.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture);
        TimeSpan? timeout = null;
        if (m.Groups["timeout"].Success)
        {
            var seconds = SqlText.RetentionSeconds(m.Groups["timeout"].Value);
            if (seconds is null)
            {
                return Raise($"Invalid Parameter Value: invalid timeout {m.Groups["timeout"].Value}");
            }

            timeout = TimeSpan.FromSeconds(seconds.Value);
        }

        var columns = await context.CursorColumnsAsync(cursor, ct);
        if (columns is null)
        {
            return new RewrittenStatement($"FETCH {count} FROM {m.Groups["cursor"].Value}");
        }

        if (columns.Length == 0)
        {
            return Raise("Cursor is in invalid state. Please close and re-create the cursor.");
        }

        return new RewrittenStatement(
            $"SELECT * FROM _rwsim.fetch({SqlText.Literal(cursor)}, {count}) AS t({columns}, op varchar, rw_timestamp bigint)")
        {
            FetchCursor = cursor,
            FetchTimeout = timeout,
        };
    }

    private static RewrittenStatement Call(string call) => new(SqlText.Do($"PERFORM {call};"));

    private static string Lit(string name) => SqlText.Literal(Regex.Replace(name, @"\s*\.\s*", "."));

    private static string Bool(bool value) => value ? "true" : "false";

    [GeneratedRegex(@"^CREATE\s+MATERIALIZED\s+VIEW\s+(?<ine>IF\s+NOT\s+EXISTS\s+)?(?<name>" + QualifiedName + @")\s+AS\s+(?<body>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex CreateMv();

    [GeneratedRegex(@"^DROP\s+MATERIALIZED\s+VIEW\s+(?<ie>IF\s+EXISTS\s+)?(?<name>" + QualifiedName + @")(\s+CASCADE)?$", RegexOptions.IgnoreCase)]
    private static partial Regex DropMv();

    [GeneratedRegex(@"^CREATE\s+SUBSCRIPTION\s+(?<ine>IF\s+NOT\s+EXISTS\s+)?(?<name>" + QualifiedName + @")\s+FROM\s+(?<target>" + QualifiedName + @")\s+WITH\s*\(\s*retention\s*=\s*'(?<retention>[^']*)'\s*\)$", RegexOptions.IgnoreCase)]
    private static partial Regex CreateSubscription();

    [GeneratedRegex(@"^DROP\s+SUBSCRIPTION\s+(?<ie>IF\s+EXISTS\s+)?(?<name>" + QualifiedName + @")$", RegexOptions.IgnoreCase)]
    private static partial Regex DropSubscription();

    [GeneratedRegex(@"^ALTER\s+SUBSCRIPTION\s+(?<name>" + QualifiedName + @")\s+SET\s*(\(\s*retention\s*=\s*'(?<retention>[^']*)'\s*\)|RETENTION\s+TO\s+'(?<retention>[^']*)')$", RegexOptions.IgnoreCase)]
    private static partial Regex AlterSubscription();

    [GeneratedRegex(@"^DECLARE\s+(?<cursor>" + Name + @")\s+SUBSCRIPTION\s+CURSOR\s+FOR\s+(?<sub>" + QualifiedName + @")(\s+SINCE\s+(?<since>\d+|now\(\)|begin\(\))|\s+(?<full>FULL))?$", RegexOptions.IgnoreCase)]
    private static partial Regex DeclareCursor();

    [GeneratedRegex(@"^FETCH\s+(?<count>NEXT|\d+)\s+FROM\s+(?<cursor>" + Name + @")(\s+WITH\s*\(\s*timeout\s*=\s*'(?<timeout>[^']*)'\s*\))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Fetch();

    [GeneratedRegex(@"^CLOSE\s+(?<cursor>" + Name + ")$", RegexOptions.IgnoreCase)]
    private static partial Regex Close();

    [GeneratedRegex(@"^FLUSH$", RegexOptions.IgnoreCase)]
    private static partial Regex Flush();

    [GeneratedRegex(@"^SET\s+RW_IMPLICIT_FLUSH\s*(=|TO)\s*(?<value>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex ImplicitFlush();

    [GeneratedRegex(@"^(CREATE|ALTER)\s+TABLE\s", RegexOptions.IgnoreCase)]
    private static partial Regex TableDdl();

    [GeneratedRegex(@"\bDOUBLE\b(?!\s+PRECISION)", RegexOptions.IgnoreCase)]
    private static partial Regex Double();

    [GeneratedRegex(@"^(INSERT|UPDATE|DELETE)\s", RegexOptions.IgnoreCase)]
    private static partial Regex Dml();
}
