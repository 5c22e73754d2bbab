namespace Wavelet.Cli.Tests;

/// <summary>Project manifests for the tests; every project gets its own name and so its own schema.</summary>
internal static class Projects
{
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A Secret holding the database URL, then a project with one event and one query (plus optional extras).</summary>
    public static string Manifest(string name, string databaseUrl = "postgres://root@127.0.0.1:1/dev", string extraColumn = "", string extraQuery = "", bool allowDestructive = false) => $$"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {{name}}-db
        stringData:
          url: {{databaseUrl}}
        ---
        apiVersion: wavelet.risingwave.com/v1alpha1
        kind: WaveletProject
        metadata:
          name: {{name}}
        spec:
          risingwave:
            connectionSecretRef: {name: {{name}}-db, key: url}
          events:
            - name: game_events
              columns:
                - {name: player, type: string}
                - {name: score, type: int}
        {{extraColumn}}
          queries:
            - name: leaderboard
              sql: SELECT player, sum(score)::bigint AS total, count(*) AS games FROM game_events GROUP BY player
        {{extraQuery}}
          ddl:
            allowDestructiveChanges: {{(allowDestructive ? "true" : "false")}}
        """;
}
