using Wavelet.Engine;
using Wavelet.Testing.RisingWave;

namespace Wavelet.Bench.Scenarios;

/// <summary>Statements the database saw in a window, split into the feeds' cursor FETCHes and everything else.</summary>
public sealed record StatementCount(int Total, int Fetches, int Sessions)
{
    public int Other => Total - Fetches;

    public static StatementCount Of(StatementLog log)
    {
        var entries = log.Snapshot();
        var fetches = entries.Count(e => e.Sql.TrimStart().StartsWith("FETCH", StringComparison.OrdinalIgnoreCase));
        return new StatementCount(entries.Count, fetches, entries.Select(e => e.SessionId).Distinct().Count());
    }
}
