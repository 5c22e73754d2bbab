using System.Net.Http.Headers;
using System.Text;

namespace Wavelet.Operator.Tests.EndToEnd;

/// <summary>
/// examples/leaderboard.yaml applied as a user would, then the data plane started from what the operator rendered:
/// operator → ConfigMap/Secret wiring → data plane → RisingWave → WebSocket client.
/// </summary>
public sealed class LeaderboardExampleEndToEndTests(RisingWaveFixture rw) : OperatorEndToEndTest(rw)
{
    [Fact]
    public async Task The_leaderboard_example_becomes_Ready_and_its_rendered_pod_streams_a_posted_event_to_a_client()
    {
        await H.StartOperatorAsync();
        var manifests = ManifestLoader.LoadFile(RepositoryRoot.Combine("examples", "leaderboard.yaml"));
        foreach (var secret in manifests.Secrets)
        {
            secret.Metadata.NamespaceProperty = OperatorHarness.Ns;
            if (secret.StringData?.ContainsKey("url") == true)
            {
                secret.StringData["url"] = Rw.Url;
            }

            await H.Secrets.CreateAsync(secret);
        }

        var project = Assert.Single(manifests.Projects);
        project.Metadata.NamespaceProperty = OperatorHarness.Ns;
        await H.Projects.CreateAsync(project);
        var name = project.Metadata.Name!;
        var synced = await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True, "Synced");
        Assert.Equal(["player_id", "total_score", "games_played"], synced.Status!.Queries[0].Columns.Select(c => c.Name));
        var env = H.Child("apps", "deployments", $"{name}-wavelet")!["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Contains(env, e => e!["name"]!.GetValue<string>() == "WAVELET_JWT_SECRET" && e["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>() == "leaderboard-jwt");

        H.MarkDeploymentAvailable($"{name}-wavelet");
        await H.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.True, "Available");

        // The pod the operator rendered, started as the kubelet would: env from the Secrets, config from the ConfigMap.
        await using var plane = await RenderedDataPlane.StartAsync(H, $"{name}-wavelet");
        var signingKey = Assert.Single(manifests.Secrets, s => s.Metadata.Name == "leaderboard-jwt").StringData!["key"];
        var token = Token(signingKey);
        await using var client = await LiveSocket.ConnectAsync(plane.BaseUri, "leaderboard", token);
        var connected = await client.ReceiveMessageAsync();
        Assert.Equal(("connected", "leaderboard"), (connected.GetProperty("type").GetString(), connected.GetProperty("query").GetString()));
        var snapshot = await client.ReceiveMessageAsync();
        Assert.Equal("snapshot", snapshot.GetProperty("type").GetString());
        Assert.Empty(snapshot.GetProperty("rows").EnumerateArray());

        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/events/game_events", UriKind.Relative))
        {
            Content = new StringContent("{\"player_id\":\"ada\",\"score\":42,\"played_at\":\"2026-12-03T07:00:00Z\"}", Encoding.UTF8, "application/json"),
        };
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var written = await plane.Http.SendAsync(post);
        Assert.True(written.IsSuccessStatusCode, $"POST /v1/events/game_events → {written.StatusCode}: {await written.Content.ReadAsStringAsync()}");

        var diff = await client.ReceiveTypeAsync("diff");
        var row = Assert.Single(diff.GetProperty("inserted").EnumerateArray());
        Assert.Equal(("ada", "42", "1"), (row.GetProperty("player_id").GetString(), row.GetProperty("total_score").ToString(), row.GetProperty("games_played").ToString()));
    }

    private static string Token(string key) => TestTokens.Hs256(key, new Dictionary<string, object> { ["sub"] = "ada" });

}
