namespace Wavelet.Operator.Tests.EndToEnd;

internal static class EndToEndProjects
{
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>The upstream quick-start: game events and a leaderboard.</summary>
    public static WaveletProject Leaderboard(string name, string secret = "rw") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = OperatorHarness.Ns },
        Spec = new WaveletProjectSpec
        {
            Risingwave = new RisingWaveSpec { ConnectionSecretRef = new SecretKeySelector { Name = secret, Key = "url" } },
            Events = [new EventSpec { Name = "game_events", Columns = [new ColumnSpec { Name = "player_id", Type = "string" }, new ColumnSpec { Name = "score", Type = "int" }] }],
            Queries = [new QuerySpec { Name = "leaderboard", Sql = "SELECT player_id, SUM(score) AS total FROM game_events GROUP BY player_id" }],
            Auth = new AuthSpec { Writes = WriteAccess.Public },
        },
    };
}
