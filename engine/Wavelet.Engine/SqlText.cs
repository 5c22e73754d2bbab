using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Wavelet.Engine;

/// <summary>Small SQL text helpers: statement splitting, literals, retention parsing.</summary>
internal static partial class SqlText
{
    /// <summary>Splits a simple-query string into statements on semicolons outside quotes, dollar quotes and comments.</summary>
    public static List<string> SplitStatements(string sql)
    {
        var statements = new List<string>();
        var current = new StringBuilder();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"')
            {
                var end = i + 1;
                while (end < sql.Length && !(sql[end] == c && (end + 1 >= sql.Length || sql[end + 1] != c)))
                {
                    end += sql[end] == c ? 2 : 1;
                }

                current.Append(sql, i, Math.Min(end + 1, sql.Length) - i);
                i = end + 1;
            }
            else if (c == '$' && DollarTag().Match(sql, i) is { Success: true } tag && tag.Index == i)
            {
                var close = sql.IndexOf(tag.Value, i + tag.Length, StringComparison.Ordinal);
                var end = close < 0 ? sql.Length : close + tag.Length;
                current.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end;
            }
            else if (c == ';')
            {
                Add(statements, current);
                i++;
            }
            else
            {
                current.Append(c);
                i++;
            }
        }

        Add(statements, current);
        return statements;
    }

    private static void Add(List<string> statements, StringBuilder current)
    {
        var text = current.ToString().Trim();
        if (text.Length > 0)
        {
            statements.Add(text);
        }

        current.Clear();
    }

    public static string Literal(string? value) =>
        value is null ? "NULL" : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Do(string body) => "DO $rwsim$ BEGIN " + body + " END $rwsim$";

    /// <summary>Parses RisingWave retention values ('1D', '30m', '2h', '3600s', '1 day') into seconds.</summary>
    public static long? RetentionSeconds(string text)
    {
        var match = Retention().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var amount = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value.ToUpperInvariant() switch
        {
            "" or "S" or "SEC" or "SECOND" or "SECONDS" => amount,
            "M" or "MIN" or "MINUTE" or "MINUTES" => amount * 60,
            "H" or "HOUR" or "HOURS" => amount * 3600,
            "D" or "DAY" or "DAYS" => amount * 86400,
            _ => null,
        };
    }

    /// <summary>Unquotes one identifier: "A""b" → A"b; unquoted identifiers fold to lower case.</summary>
    public static string Unquote(string identifier) =>
        identifier.StartsWith('"') ? identifier[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : identifier.ToLowerInvariant();

    [GeneratedRegex(@"\$[A-Za-z_0-9]*\$")]
    private static partial Regex DollarTag();

    [GeneratedRegex(@"^(\d+)\s*([A-Za-z]*)$")]
    private static partial Regex Retention();
}
