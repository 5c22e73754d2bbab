using System.Globalization;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Auth;

namespace Wavelet.DataPlane.Web;

/// <summary>
/// An event column named like a filtered query's filterBy is the tenant column: a token-bearing caller writes only into
/// its own claim. Missing → set to the claim (when it has exactly one value); a different value → forbidden.
/// </summary>
public static class TenantColumns
{
    /// <summary>
    /// Why a write to <paramref name="ev"/> needs a token even under <c>writes: Public</c>: it has a filtered query's
    /// tenant column, and an anonymous caller could otherwise write into any tenant. Null when it has none.
    /// </summary>
    public static string? TokenRequiredReason(DataPlaneConfig config, EventConfig ev)
    {
        var query = config.Queries.FirstOrDefault(q => q.FilterBy is not null && ev.Columns.Any(c => c.Name == q.FilterBy));
        return query is null ? null
            : $"event '{ev.Name}' has column '{query.FilterBy}', the tenant column of query '{query.Name}', so every write needs a token carrying a '{query.FilterClaim ?? query.FilterBy}' claim (even with writes: Public): send Authorization: Bearer <token>";
    }

    public static string? Enforce(DataPlaneConfig config, EventConfig ev, Caller caller, List<object?[]> rows)
    {
        if (config.Auth.Jwt is null || !caller.HasToken)
        {
            return null;
        }

        foreach (var query in config.Queries.Where(q => q.FilterBy is not null && q.FilterClaim is not null))
        {
            var index = ev.Columns.FindIndex(c => c.Name == query.FilterBy);
            if (index < 0)
            {
                continue;
            }

            var column = ev.Columns[index];
            var allowed = caller.ClaimValues(query.FilterClaim!);
            if (allowed.Count == 0)
            {
                return $"column '{column.Name}' is the tenant column of query '{query.Name}' and your token has no '{query.FilterClaim}' claim";
            }

            foreach (var row in rows)
            {
                if (row[index] is null)
                {
                    if (allowed.Count > 1)
                    {
                        return $"column '{column.Name}' is required: your token allows several values ({string.Join(", ", allowed)})";
                    }

                    row[index] = ToColumnValue(allowed[0], column.Type);
                    if (row[index] is null)
                    {
                        return $"your '{query.FilterClaim}' claim '{allowed[0]}' is not a valid {column.Type} for column '{column.Name}'";
                    }
                }
                else if (!allowed.Contains(State.Row.KeyOf(row[index]) ?? ""))
                {
                    return $"column '{column.Name}' must be your own '{query.FilterClaim}' claim value; you may not write for another tenant";
                }
            }
        }

        return null;
    }

    private static object? ToColumnValue(string claim, string type) => type switch
    {
        "string" => claim,
        "int" => int.TryParse(claim, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
        "float" => double.TryParse(claim, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
        _ => null,
    };
}
