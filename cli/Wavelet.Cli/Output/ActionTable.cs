namespace Wavelet.Cli.Output;

/// <summary>DDL actions as an aligned table (ACTION RESOURCE NAME DETAIL), as `wavelet plan` and `wavelet push` print them.</summary>
public static class ActionTable
{
    public static async Task WriteAsync(TextWriter output, string schema, IReadOnlyList<DdlAction> actions, bool inSync)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(actions);
        await output.WriteLineAsync($"schema {schema}: {(inSync ? "in sync" : "changes")}");
        var rows = actions.Select(a => new[] { a.Type.ToUpperInvariant(), a.Resource, a.Name, a.Detail ?? "" }).ToList();
        string[] header = ["ACTION", "RESOURCE", "NAME", "DETAIL"];
        var widths = Enumerable.Range(0, 3).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            await output.WriteLineAsync($"{row[0].PadRight(widths[0])}  {row[1].PadRight(widths[1])}  {row[2].PadRight(widths[2])}  {row[3]}".TrimEnd());
        }
    }
}
