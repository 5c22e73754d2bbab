using System.Text;

namespace Wavelet.Bench.Scenarios;

/// <summary>One scenario's outcome: tables of figures, notes on what limits them, and the key figures for checks.</summary>
public sealed class ScenarioReport
{
    public ScenarioReport(string name, string title)
    {
        Name = name;
        Title = title;
    }

    public string Name { get; }

    public string Title { get; }

    public List<ResultTable> Tables { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>Headline figures by name (e.g. "messages_per_second"), for the smoke test and the summary.</summary>
    public Dictionary<string, double> Figures { get; } = new(StringComparer.Ordinal);

    public string ToMarkdown()
    {
        var text = new StringBuilder().AppendLine($"### {Title} (`{Name}`)").AppendLine();
        foreach (var table in Tables)
        {
            text.AppendLine(table.ToMarkdown());
        }

        foreach (var note in Notes)
        {
            text.AppendLine($"- {note}");
        }

        return text.AppendLine().ToString();
    }
}
