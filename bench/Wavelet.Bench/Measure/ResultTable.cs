using System.Text;

namespace Wavelet.Bench.Measure;

/// <summary>A Markdown table of figures, printed to the console and pasted into docs/benchmarks.md.</summary>
public sealed class ResultTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public ResultTable(params string[] headers) => _headers = headers;

    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    public ResultTable Add(params object?[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"row has {cells.Length} cells; the table has {_headers.Length} columns");
        }

        _rows.Add([.. cells.Select(Format)]);
        return this;
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", _headers).AppendLine(" |");
        text.Append('|').AppendJoin("", _headers.Select(_ => "---|")).AppendLine();
        foreach (var row in _rows)
        {
            text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        return text.ToString();
    }

    public static string Format(object? value) => value switch
    {
        null => "-",
        double d when double.IsNaN(d) => "-",
        double d when Math.Abs(d) >= 1000 => d.ToString("N0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
}
