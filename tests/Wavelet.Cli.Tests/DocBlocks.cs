namespace Wavelet.Cli.Tests;

/// <summary>
/// The fenced sh/bash blocks of README.md and docs/ (and examples/), each with the marker comment on the line above
/// that says how the docs test checks it: `&lt;!-- check: run --&gt;`, `engine`, `background [file]`, `dev &lt;file&gt;`,
/// `cluster`, `skip &lt;reason&gt;`, or README's `&lt;!-- ci:test-command --&gt;` (what .ci/run runs).
/// </summary>
internal sealed partial record DocBlock(string File, int Line, string Kind, string Argument, string Code)
{
    public override string ToString() => $"{File}:{Line} ({Kind}{(Argument.Length > 0 ? " " + Argument : "")})";

    public static IReadOnlyList<DocBlock> All()
    {
        var files = new[] { RepositoryRoot.Combine("README.md") }
            .Concat(Directory.GetFiles(RepositoryRoot.Combine("docs"), "*.md", SearchOption.AllDirectories))
            .Concat(Directory.GetFiles(RepositoryRoot.Combine("examples"), "*.md", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal);
        var blocks = new List<DocBlock>();
        foreach (var file in files)
        {
            var lines = System.IO.File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (!Fence().IsMatch(lines[i]))
                {
                    continue;
                }

                var end = Array.FindIndex(lines, i + 1, l => l.TrimEnd() == "```");
                var code = string.Join('\n', lines[(i + 1)..end]);
                var marker = i > 0 ? Marker().Match(lines[i - 1]) : Match.Empty;
                var (kind, argument) = marker.Success ? (marker.Groups["kind"].Value, marker.Groups["arg"].Value.Trim())
                    : i > 0 && lines[i - 1].Trim() == "<!-- ci:test-command -->" ? ("ci", "") : ("unmarked", "");
                blocks.Add(new DocBlock(Path.GetRelativePath(RepositoryRoot.Path, file), i + 1, kind, argument, code));
                i = end;
            }
        }

        return blocks;
    }

    [GeneratedRegex("^```(sh|bash|shell)\\s*$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^<!-- check: (?<kind>run|engine|background|dev|cluster|skip)(?<arg>[^>]*?)\s*-->$")]
    private static partial Regex Marker();
}
