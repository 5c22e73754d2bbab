namespace Wavelet.Cli.Generate;

/// <summary>
/// What a typed client is generated from: each query's result columns (database types), each event's declared columns,
/// and the project's spec.dataPlane.valueShape, which decides how bigint and numeric arrive (strings or numbers).
/// </summary>
public sealed record ClientModel(string Project, string Source, IReadOnlyList<ClientQuery> Queries, IReadOnlyList<ClientEvent> Events, string ValueShape = ValueShapes.Upstream)
{
    /// <summary>True when bigint and numeric arrive as JSON strings (Upstream, the default).</summary>
    public bool BigNumbersAsStrings => !string.Equals(ValueShape, ValueShapes.Numbers, StringComparison.Ordinal);
}

/// <summary>A query's row: columns with the database's type names (rw_columns.data_type); empty when unknown.</summary>
public sealed record ClientQuery(string Name, IReadOnlyList<ClientColumn> Columns);

/// <summary>An event's columns with the WaveletProject column types (string, int, ...).</summary>
public sealed record ClientEvent(string Name, IReadOnlyList<ClientColumn> Columns);

public sealed record ClientColumn(string Name, string Type);

public static class Naming
{
    /// <summary>leaderboard_top → LeaderboardTop; characters that cannot start or be in a C# or TypeScript name become '_'.</summary>
    public static string Pascal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder();
        var upper = true;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            text.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        var result = text.ToString();
        return result.Length == 0 || char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }
}
