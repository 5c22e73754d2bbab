using System.Text;

namespace Wavelet.Deploy.Tests.Helm;

/// <summary>
/// Parses the subset of Go templates the chart uses: text, {{ pipeline }}, if/else/end, define/end, comments and the
/// {{- -}} whitespace trimming. Anything else (range, with, variables) is refused so the chart stays testable here.
/// </summary>
internal static class TemplateParser
{
    public static IReadOnlyList<TemplateNode> Parse(string source, string fileName)
    {
        var tokens = Tokenize(source, fileName);
        var position = 0;
        var nodes = ParseList(tokens, ref position, fileName, out var terminator);
        if (terminator is not null)
        {
            throw new FormatException($"{fileName}: unexpected {{{{ {terminator} }}}} without an opening if/define.");
        }

        return nodes;
    }

    private sealed record Token(bool IsAction, string Text);

    private static List<Token> Tokenize(string source, string fileName)
    {
        var tokens = new List<Token>();
        var text = new StringBuilder();
        var i = 0;
        var trimNextText = false;
        while (i < source.Length)
        {
            var open = source.IndexOf("{{", i, StringComparison.Ordinal);
            var chunk = open < 0 ? source[i..] : source[i..open];
            if (trimNextText)
            {
                chunk = chunk.TrimStart();
            }

            text.Append(chunk);
            if (open < 0)
            {
                break;
            }

            var close = source.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"{fileName}: unclosed {{{{ at offset {open}.");
            }

            var inner = source[(open + 2)..close];
            if (inner.StartsWith("- ", StringComparison.Ordinal) || inner == "-")
            {
                var trimmed = text.ToString().TrimEnd();
                text.Clear().Append(trimmed);
                inner = inner[1..];
            }

            trimNextText = inner.EndsWith(" -", StringComparison.Ordinal);
            if (trimNextText)
            {
                inner = inner[..^2];
            }

            tokens.Add(new Token(false, text.ToString()));
            text.Clear();
            inner = inner.Trim();
            if (!(inner.StartsWith("/*", StringComparison.Ordinal) && inner.EndsWith("*/", StringComparison.Ordinal)))
            {
                tokens.Add(new Token(true, inner));
            }

            i = close + 2;
        }

        tokens.Add(new Token(false, text.ToString()));
        return tokens;
    }

    private static List<TemplateNode> ParseList(List<Token> tokens, ref int position, string fileName, out string? terminator)
    {
        var nodes = new List<TemplateNode>();
        while (position < tokens.Count)
        {
            var token = tokens[position++];
            if (!token.IsAction)
            {
                if (token.Text.Length > 0)
                {
                    nodes.Add(new TextNode(token.Text));
                }

                continue;
            }

            var action = token.Text;
            if (action is "end" or "else")
            {
                terminator = action;
                return nodes;
            }

            if (action.StartsWith("if ", StringComparison.Ordinal))
            {
                var then = ParseList(tokens, ref position, fileName, out var end);
                IReadOnlyList<TemplateNode> otherwise = [];
                if (end == "else")
                {
                    otherwise = ParseList(tokens, ref position, fileName, out end);
                }

                Expect(end, "end", action, fileName);
                nodes.Add(new IfNode(action[3..].Trim(), then, otherwise));
            }
            else if (action.StartsWith("define ", StringComparison.Ordinal))
            {
                var body = ParseList(tokens, ref position, fileName, out var end);
                Expect(end, "end", action, fileName);
                nodes.Add(new DefineNode(action[7..].Trim().Trim('"'), body));
            }
            else if (action.StartsWith("range ", StringComparison.Ordinal) || action.StartsWith("with ", StringComparison.Ordinal)
                     || action.StartsWith('$'))
            {
                throw new NotSupportedException($"{fileName}: {{{{ {action} }}}} is outside the template subset the chart tests support; use if/include/toYaml.");
            }
            else
            {
                nodes.Add(new OutputNode(action));
            }
        }

        terminator = null;
        return nodes;
    }

    private static void Expect(string? actual, string expected, string opener, string fileName)
    {
        if (actual != expected)
        {
            throw new FormatException($"{fileName}: {{{{ {opener} }}}} is not closed by {{{{ {expected} }}}}.");
        }
    }
}
