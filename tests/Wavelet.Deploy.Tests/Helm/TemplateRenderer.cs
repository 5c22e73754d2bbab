using System.Globalization;
using System.Text;

namespace Wavelet.Deploy.Tests.Helm;

/// <summary>Renders parsed templates against a root context (Values, Release, Chart) with the functions the chart uses.</summary>
internal sealed class TemplateRenderer(IReadOnlyDictionary<string, IReadOnlyList<TemplateNode>> defines)
{
    public string Render(IReadOnlyList<TemplateNode> nodes, object? dot)
    {
        var output = new StringBuilder();
        RenderInto(output, nodes, dot);
        return output.ToString();
    }

    private void RenderInto(StringBuilder output, IReadOnlyList<TemplateNode> nodes, object? dot)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case OutputNode action:
                    output.Append(Stringify(Evaluate(action.Pipeline, dot)));
                    break;
                case IfNode conditional:
                    RenderInto(output, IsTruthy(Evaluate(conditional.Condition, dot)) ? conditional.Then : conditional.Else, dot);
                    break;
                case DefineNode:
                    break;
            }
        }
    }

    public static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    private static string Stringify(object? value) => value switch
    {
        null => "",
        string s => s,
        bool or long or double => YamlEmitter.Scalar(value),
        _ => YamlEmitter.Emit(value),
    };

    private object? Evaluate(string pipeline, object? dot)
    {
        var tokens = PipelineLexer.Tokenize(pipeline);
        var position = 0;
        var result = EvaluatePipeline(tokens, ref position, dot);
        if (position != tokens.Count)
        {
            throw new FormatException($"Unexpected '{tokens[position]}' in {{{{ {pipeline} }}}}.");
        }

        return result;
    }

    private object? EvaluatePipeline(List<string> tokens, ref int position, object? dot)
    {
        object? piped = null;
        var first = true;
        while (true)
        {
            var command = new List<string>();
            var args = new List<object?>();
            string? function = null;
            while (position < tokens.Count && tokens[position] is not ("|" or ")"))
            {
                var token = tokens[position++];
                if (function is null && args.Count == 0 && command.Count == 0 && IsIdentifier(token))
                {
                    function = token;
                    command.Add(token);
                    continue;
                }

                args.Add(token == "(" ? Parenthesized(tokens, ref position, dot) : Operand(token, dot));
                command.Add(token);
            }

            if (!first)
            {
                args.Add(piped);
            }

            piped = function is null
                ? args.Count == 1 ? args[0] : throw new FormatException($"Expected one value, got {args.Count}.")
                : Call(function, args, dot);
            first = false;
            if (position < tokens.Count && tokens[position] == "|")
            {
                position++;
                continue;
            }

            return piped;
        }
    }

    private object? Parenthesized(List<string> tokens, ref int position, object? dot)
    {
        var value = EvaluatePipeline(tokens, ref position, dot);
        if (position >= tokens.Count || tokens[position] != ")")
        {
            throw new FormatException("Missing ')'.");
        }

        position++;
        return value;
    }

    private static bool IsIdentifier(string token) => char.IsLetter(token[0]);

    private static object? Operand(string token, object? dot)
    {
        if (token.StartsWith('"'))
        {
            return token[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
        }

        if (token == ".")
        {
            return dot;
        }

        if (token.StartsWith('.'))
        {
            return YamlValues.At(dot, token[1..]);
        }

        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        throw new FormatException($"Unsupported operand '{token}'.");
    }

    private object? Call(string function, List<object?> args, object? dot) => function switch
    {
        "include" => Render(defines.TryGetValue((string)args[0]!, out var body)
            ? body
            : throw new KeyNotFoundException($"include of undefined template \"{args[0]}\""), args[1]).Trim('\n'),
        "toYaml" => YamlEmitter.Emit(args[0]),
        "nindent" => "\n" + Indent(Convert.ToInt32(args[0], CultureInfo.InvariantCulture), Stringify(args[1])),
        "indent" => Indent(Convert.ToInt32(args[0], CultureInfo.InvariantCulture), Stringify(args[1])),
        "quote" => "\"" + Stringify(args[0]).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        "default" => IsTruthy(args[^1]) ? args[^1] : args[0],
        "trunc" => Truncate(Stringify(args[1]), Convert.ToInt32(args[0], CultureInfo.InvariantCulture)),
        "trimSuffix" => Stringify(args[1]).EndsWith((string)args[0]!, StringComparison.Ordinal)
            ? Stringify(args[1])[..^((string)args[0]!).Length] : Stringify(args[1]),
        "printf" => Printf((string)args[0]!, args.Skip(1).ToList()),
        "join" => string.Join((string)args[0]!, ((args[1] as IList<object?>) ?? []).Select(Stringify)),
        "not" => !IsTruthy(args[0]),
        "and" => args.All(IsTruthy),
        "or" => args.Any(IsTruthy),
        "eq" => Equals(Stringify(args[0]), Stringify(args[1])),
        _ => throw new NotSupportedException($"Template function '{function}' is outside the subset the chart tests support."),
    };

    private static string Truncate(string s, int length) => s.Length <= length ? s : s[..length];

    private static string Indent(int spaces, string text)
    {
        var pad = new string(' ', spaces);
        return string.Join('\n', text.Split('\n').Select(line => pad + line));
    }

    private static string Printf(string format, List<object?> args)
    {
        var builder = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] == '%' && i + 1 < format.Length && format[i + 1] is 's' or 'd' or 'v')
            {
                builder.Append(Stringify(args[next++]));
                i++;
            }
            else
            {
                builder.Append(format[i]);
            }
        }

        return builder.ToString();
    }
}

internal static class PipelineLexer
{
    public static List<string> Tokenize(string pipeline)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < pipeline.Length)
        {
            var c = pipeline[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or '|')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c == '"')
            {
                var end = i + 1;
                while (end < pipeline.Length && (pipeline[end] != '"' || pipeline[end - 1] == '\\'))
                {
                    end++;
                }

                tokens.Add(pipeline[i..(end + 1)]);
                i = end + 1;
            }
            else
            {
                var end = i;
                while (end < pipeline.Length && !char.IsWhiteSpace(pipeline[end]) && pipeline[end] is not ('(' or ')' or '|'))
                {
                    end++;
                }

                tokens.Add(pipeline[i..end]);
                i = end;
            }
        }

        return tokens;
    }
}
