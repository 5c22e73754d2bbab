using System.Globalization;

namespace Wavelet.Cli.Status;

/// <summary>`wavelet status` as text.</summary>
public static class StatusPrinter
{
    public static async Task WriteAsync(TextWriter output, StatusReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        await output.WriteLineAsync($"Project:  {report.Project} (schema {report.Schema}) from {report.File}");
        await output.WriteLineAsync($"Events:   {report.Events.Count}");
        foreach (var e in report.Events)
        {
            await output.WriteLineAsync($"  - {e.Name} ({string.Join(", ", e.Columns)})");
        }

        await output.WriteLineAsync($"Queries:  {report.Queries.Count}");
        foreach (var q in report.Queries)
        {
            await output.WriteLineAsync(q.FilterBy is null ? $"  - {q.Name}" : $"  - {q.Name} (rows filtered by {q.FilterBy} = claim {q.FilterClaim})");
        }

        var db = report.Database;
        if (!db.Configured)
        {
            await output.WriteLineAsync($"Database: not configured (--database-url, ${Database.DatabaseUrl.Variable} or the connection Secret in the file)");
        }
        else if (!db.Reachable)
        {
            await output.WriteLineAsync($"Database: {db.Url} (from {db.Source}): UNREACHABLE: {db.Error}");
        }
        else
        {
            var sync = db.InSync == true ? "in sync" : $"{db.PendingChanges?.Count ?? 0} changes pending (wavelet plan shows them, wavelet push applies them)";
            await output.WriteLineAsync($"Database: {db.Url} (from {db.Source}): reachable, {(db.Error is null ? sync : "error: " + db.Error)}");
        }

        if (report.DataPlane is { } dp)
        {
            if (!dp.Reachable)
            {
                await output.WriteLineAsync($"Data plane: {dp.Url}: UNREACHABLE: {dp.Error}");
                return;
            }

            var state = dp.Ready ? "ready" : dp.Draining ? "draining" : $"NOT READY (loading: {string.Join(", ", dp.Loading)})";
            await output.WriteLineAsync($"Data plane: {dp.Url}: {state}{(dp.ConfigError is null ? "" : $"; config error: {dp.ConfigError}")}");
            foreach (var q in dp.Queries)
            {
                var lag = q.LagSeconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "n/a";
                await output.WriteLineAsync($"  - {q.Name}: lag {lag}, {q.Connections} connections");
            }
        }
    }
}
