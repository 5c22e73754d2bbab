namespace Wavelet.Operator.Tests.Children;

internal static class TestProjects
{
    /// <summary>A leaderboard-style project: one event, one query, JWT key and a webhook secret.</summary>
    public static WaveletProject Leaderboard(string name = "games", string ns = "apps") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = "uid-" + name, Generation = 1 },
        Spec = new WaveletProjectSpec
        {
            Risingwave = new RisingWaveSpec { ConnectionSecretRef = new SecretKeySelector { Name = "rw", Key = "url" } },
            Events = [new EventSpec { Name = "game_events", Columns = [new ColumnSpec { Name = "player_id", Type = "string" }, new ColumnSpec { Name = "score", Type = "int" }] }],
            Queries =
            [
                new QuerySpec
                {
                    Name = "leaderboard",
                    Sql = "SELECT player_id, SUM(score) AS total FROM game_events GROUP BY player_id",
                    Webhook = new WebhookSpec { Url = "https://hooks.example.com/x", SecretRef = new SecretKeySelector { Name = "hooks", Key = "hmac" } },
                },
            ],
            Auth = new AuthSpec { Jwt = new JwtSpec { SecretRef = new SecretKeySelector { Name = "jwt", Key = "key" } } },
        },
    };
}
