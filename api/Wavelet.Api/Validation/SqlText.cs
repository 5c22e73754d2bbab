namespace Wavelet.Api.Validation;

/// <summary>
/// Just enough of PostgreSQL's lexer to tell whether a query body holds a second statement: standard strings,
/// E'' strings with backslash escapes, U&amp;'' strings, B''/X''/N'' strings, dollar quotes with tags, quoted
/// identifiers, line comments and nested block comments. This is an early, friendly error only: the operator sends
/// each statement in its own protocol message, so the server refuses a second statement whatever this lexer thinks.
/// </summary>
internal static class SqlText
{
    /// <summary>
    /// True when a ';' outside strings, quoted identifiers and comments is followed by anything but whitespace and
    /// ';' (a trailing ';' is tolerated and stripped by the operator).
    /// </summary>
    public static bool HasStatementSeparator(string sql)
    {
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\'')
            {
                i = SkipString(sql, i, backslashEscapes: false);
            }
            else if (c == '"')
            {
                i = SkipString(sql, i, backslashEscapes: false, quote: '"');
            }
            else if (c == '-' && At(sql, i + 1, '-'))
            {
                i = SkipLineComment(sql, i);
            }
            else if (c == '/' && At(sql, i + 1, '*'))
            {
                i = SkipBlockComment(sql, i);
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                i = SkipUntil(sql, i + tag.Length, tag);
            }
            else if (IsIdentifierStart(c))
            {
                i = SkipWord(sql, i);
            }
            else if (char.IsAsciiDigit(c))
            {
                i = SkipNumber(sql, i);
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

    private static bool AtAny(string sql, int index, char a, char b) => index < sql.Length && (sql[index] == a || sql[index] == b);

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c > 127;

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c) || c == '$';

    /// <summary>
    /// A keyword or identifier, or a string with a prefix: E'…' (backslash escapes), U&amp;'…' / U&amp;"…", B'…',
    /// X'…', N'…'. A '$' inside a word is part of it, so "a$b$" does not open a dollar quote.
    /// </summary>
    private static int SkipWord(string sql, int start)
    {
        var c = char.ToUpperInvariant(sql[start]);
        if (At(sql, start + 1, '\''))
        {
            switch (c)
            {
                case 'E':
                    return SkipString(sql, start + 1, backslashEscapes: true);
                case 'B' or 'X' or 'N':
                    return SkipString(sql, start + 1, backslashEscapes: false);
            }
        }

        if (c == 'U' && At(sql, start + 1, '&') && AtAny(sql, start + 2, '\'', '"'))
        {
            return SkipString(sql, start + 2, backslashEscapes: false, quote: sql[start + 2]);
        }

        var i = start + 1;
        while (i < sql.Length && IsIdentifierPart(sql[i]))
        {
            i++;
        }

        return i;
    }

    private static int SkipNumber(string sql, int start)
    {
        var i = start + 1;
        while (i < sql.Length && (char.IsAsciiLetterOrDigit(sql[i]) || sql[i] is '_' or '.'))
        {
            i++;
        }

        return i;
    }

    /// <summary>From an opening quote to after its closing one; a doubled quote is part of the text.</summary>
    private static int SkipString(string sql, int start, bool backslashEscapes, char quote = '\'')
    {
        var i = start + 1;
        while (i < sql.Length)
        {
            if (backslashEscapes && sql[i] == '\\')
            {
                i += 2;
                continue;
            }

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

    private static int SkipLineComment(string sql, int start)
    {
        var end = sql.IndexOfAny(['\n', '\r'], start);
        return end < 0 ? sql.Length : end + 1;
    }

    /// <summary>PostgreSQL's block comments nest: /* a /* b */ c */ is one comment.</summary>
    private static int SkipBlockComment(string sql, int start)
    {
        var depth = 0;
        var i = start;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && At(sql, i + 1, '*'))
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && At(sql, i + 1, '/'))
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return sql.Length;
    }

    private static int SkipUntil(string sql, int start, string terminator)
    {
        var end = sql.IndexOf(terminator, start, StringComparison.Ordinal);
        return end < 0 ? sql.Length : end + terminator.Length;
    }

    /// <summary>$$ or $tag$ where the tag is an identifier that does not start with a digit ($1 is a parameter).</summary>
    private static string? DollarTag(string sql, int start)
    {
        var end = start + 1;
        if (end < sql.Length && char.IsAsciiDigit(sql[end]))
        {
            return null;
        }

        while (end < sql.Length && (IsIdentifierStart(sql[end]) || char.IsAsciiDigit(sql[end])))
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
