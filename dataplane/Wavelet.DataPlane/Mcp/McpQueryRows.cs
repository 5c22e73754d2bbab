using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Auth;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Mcp;

/// <summary>A query's current rows as the HTTP read serves them: from memory, only the partitions the caller's claims allow, column filters by equality.</summary>
public static class McpQueryRows
{
    public static (QueryConfig Query, QueryHub Hub) Find(string name, DataPlaneConfig config, HubRegistry hubs)
    {
        var query = config.Queries.FirstOrDefault(q => q.Name == name);
        if (query is null || hubs.Find(name) is not { } hub)
        {
            throw new McpProtocolException($"unknown query '{name}'; queries are: {string.Join(", ", config.Queries.Select(q => q.Name))}", McpErrorCode.InvalidParams);
        }

        return (query, hub);
    }

    public static IReadOnlyList<string> ColumnsOf(QueryConfig query, QueryHub hub) =>
        query.Columns.Count > 0 ? query.Columns.Select(c => c.Name).ToList() : hub.Columns;

    /// <summary>Refuses, as the WebSocket (4000) and HTTP reads (403) do, a token that cannot read a filtered query at all.</summary>
    public static void EnsureAllowed(QueryConfig query, JwtConfig? jwt, Caller caller)
    {
        if (ClaimAccess.Refusal(query, jwt, caller) is { } refusal)
        {
            throw new McpProtocolException(refusal, McpErrorCode.InvalidRequest);
        }
    }

    /// <summary>The rows <paramref name="caller"/> may see that match every filter; refused when the token lacks the query's claim.</summary>
    public static List<Row> Visible(QueryConfig query, JwtConfig? jwt, QueryHub hub, Caller caller, IReadOnlyList<(string Column, string Value)> filters)
    {
        EnsureAllowed(query, jwt, caller);
        if (!hub.Ready)
        {
            throw new McpException($"query '{query.Name}' is still loading its first snapshot; retry shortly");
        }

        return hub.Rows(caller.PartitionsFor(query.FilterClaim))
            .Where(row => filters.All(f => Row.KeyOf(row[f.Column]) == f.Value))
            .ToList();
    }

    /// <summary>The HTTP read's body, <c>{"query":…,"rows":[…]}</c>, plus <c>truncated</c> when a limit cut rows off.</summary>
    public static string Json(string query, IEnumerable<Row> rows, bool? truncated = null)
    {
        var body = new StringBuilder("{\"query\":").Append(JsonSerializer.Serialize(query)).Append(",\"rows\":[");
        var first = true;
        foreach (var row in rows)
        {
            body.Append(first ? "" : ",").Append(Encoding.UTF8.GetString(row.Json));
            first = false;
        }

        body.Append(']');
        if (truncated is { } cut)
        {
            body.Append(",\"truncated\":").Append(cut ? "true" : "false");
        }

        return body.Append('}').ToString();
    }

    /// <summary>Sum and count of the rows' identities: equal for equal multisets, so a change of the visible rows changes it.</summary>
    public static (long Sum, int Count) Fingerprint(IEnumerable<Row> rows)
    {
        long sum = 0;
        var count = 0;
        foreach (var row in rows)
        {
            sum = unchecked(sum + ((long)StringComparer.Ordinal.GetHashCode(row.Identity) * unchecked((long)0x9E3779B97F4A7C15UL)));
            count++;
        }

        return (sum, count);
    }
}
