namespace Wavelet.Api.Tests;

/// <summary>A valid project that tests mutate to break one rule at a time.</summary>
internal static class TestProjects
{
    public static WaveletProject Valid() => new()
    {
        Metadata = new() { Name = "game-stats", NamespaceProperty = "apps" },
        Spec = new()
        {
            Risingwave = new() { ConnectionSecretRef = new() { Name = "risingwave", Key = "url" } },
            Events =
            [
                new() { Name = "game_events", Columns = [new() { Name = "player_id", Type = "string" }, new() { Name = "score", Type = "int" }] },
            ],
            Queries =
            [
                new() { Name = "leaderboard", Sql = "SELECT player_id, SUM(score) AS total FROM game_events GROUP BY player_id" },
                new() { Name = "my_scores", Sql = "SELECT player_id, score FROM game_events", FilterBy = "player_id", FilterClaim = "sub" },
            ],
            Auth = new() { Jwt = new() { SecretRef = new() { Name = "jwt", Key = "key" } } },
        },
    };
}
