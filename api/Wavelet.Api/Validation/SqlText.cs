namespace Wavelet.Api.Validation;

/// <summary>Just enough SQL lexing to tell whether a query body smuggles in a second statement.</summary>
internal static class SqlText
{
    /// <summary>
    /// True when a ';' outside string literals, quoted identifiers and comments is followed by anything but
    /// whitespace (a single trailing ';' is tolerated and stripped by the operator).
    /// </summary>
    public static bool HasStatementSeparator(string sql)
    {
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"')
            {
                i = SkipQuoted(sql, i, c);
            }
            else if (c == '-' && At(sql, i + 1, '-'))
            {
                i = SkipUntil(sql, i, "\n");
            }
            else if (c == '/' && At(sql, i + 1, '*'))
            {
                i = SkipUntil(sql, i + 2, "*/");
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                i = SkipUntil(sql, i + tag.Length, tag);
            }
            else if (c == ';')
            {
                return !IsBlankOrSemicolons(sql, i + 1);
            }
            else
            {
                i++;
            }
        }

        return false;
    }

    /// <summary>The SQL without trailing whitespace and ';'.</summary>
    public static string TrimTrailingSemicolons(string sql) => sql.TrimEnd().TrimEnd(';').TrimEnd();

    private static bool At(string sql, int index, char expected) => index < sql.Length && sql[index] == expected;

    private static int SkipQuoted(string sql, int start, char quote)
    {
        var i = start + 1;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (At(sql, i + 1, quote))
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return sql.Length;
    }

    private static int SkipUntil(string sql, int start, string terminator)
    {
        var end = sql.IndexOf(terminator, start, StringComparison.Ordinal);
        return end < 0 ? sql.Length : end + terminator.Length;
    }

    private static string? DollarTag(string sql, int start)
    {
        var end = start + 1;
        while (end < sql.Length && (char.IsAsciiLetterOrDigit(sql[end]) || sql[end] == '_'))
        {
            end++;
        }

        return At(sql, end, '$') ? sql[start..(end + 1)] : null;
    }

    private static bool IsBlankOrSemicolons(string sql, int start)
    {
        for (var i = start; i < sql.Length; i++)
        {
            if (!char.IsWhiteSpace(sql[i]) && sql[i] != ';')
            {
                return false;
            }
        }

        return true;
    }
}
