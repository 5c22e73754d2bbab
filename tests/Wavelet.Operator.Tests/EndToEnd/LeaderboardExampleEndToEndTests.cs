using System.Net.Http.Headers;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wavelet.Api.Meta;
using Wavelet.Api.Serialization;
using Wavelet.Api.V1Alpha1;
using Wavelet.Testing.RisingWave;

namespace Wavelet.Operator.Tests.EndToEnd;

/// <summary>
/// examples/leaderboard.yaml applied as a user would, then the data plane started from what the operator rendered:
/// operator → ConfigMap/Secret wiring → data plane → RisingWave → WebSocket client.
/// </summary>
public sealed class LeaderboardExampleEndToEndTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    private OperatorHarness _h = null!;

    public async Task InitializeAsync() => _h = await OperatorHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task The_leaderboard_example_becomes_Ready_and_its_rendered_pod_streams_a_posted_event_to_a_client()
    {
        await _h.StartOperatorAsync();
        var manifests = ManifestLoader.LoadFile(Path.Combine(RepoRoot(), "examples", "leaderboard.yaml"));
        foreach (var secret in manifests.Secrets)
        {
            secret.Metadata.NamespaceProperty = OperatorHarness.Ns;
            if (secret.StringData?.ContainsKey("url") == true)
            {
                secret.StringData["url"] = rw.Url;
            }

            await _h.Secrets.CreateAsync(secret);
        }

        var project = Assert.Single(manifests.Projects);
        project.Metadata.NamespaceProperty = OperatorHarness.Ns;
        await _h.Projects.CreateAsync(project);
        var name = project.Metadata.Name!;
        var synced = await _h.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True, "Synced");
        Assert.Equal(["player_id", "total_score", "games_played"], synced.Status!.Queries[0].Columns.Select(c => c.Name));
        var env = _h.Child("apps", "deployments", $"{name}-wavelet")!["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Contains(env, e => e!["name"]!.GetValue<string>() == "WAVELET_JWT_SECRET" && e["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>() == "leaderboard-jwt");

        _h.MarkDeploymentAvailable($"{name}-wavelet");
        await _h.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.True, "Available");

        // The pod the operator rendered, started as the kubelet would: env from the Secrets, config from the ConfigMap.
        await using var plane = await RenderedDataPlane.StartAsync(_h, $"{name}-wavelet");
        var signingKey = Assert.Single(manifests.Secrets, s => s.Metadata.Name == "leaderboard-jwt").StringData!["key"];
        var token = Token(signingKey);
        await using var client = await LiveSocket.ConnectAsync(plane.BaseUri, "leaderboard", token);
        var connected = await client.ReceiveAsync();
        Assert.Equal(("connected", "leaderboard"), (connected.GetProperty("type").GetString(), connected.GetProperty("query").GetString()));
        var snapshot = await client.ReceiveAsync();
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

    private static string Token(string key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object> { ["sub"] = "ada" },
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
    });


    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Wavelet.Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
