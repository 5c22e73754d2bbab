using Wavelet.Api.DataPlane;

namespace Wavelet.Operator.Tests.Children;

public sealed class DataPlaneConfigBuilderTests
{
    [Fact]
    public void Config_carries_columns_from_ddl_and_env_names_but_no_secret_values()
    {
        var project = TestProjects.Leaderboard();
        var sync = new DdlSyncResult("games", [], [new SyncedQuery("leaderboard", "wavelet_sub_leaderboard", "h1", [new ActualColumn("player_id", "character varying"), new ActualColumn("total", "bigint")])], 0);

        var config = DataPlaneConfigBuilder.Build(project, sync);
        var query = Assert.Single(config.Queries);
        Assert.Equal(["player_id", "total"], query.Columns.Select(c => c.Name));
        Assert.Equal(("wavelet_sub_leaderboard", "h1"), (query.Subscription, query.SpecHash));
        Assert.Equal("WAVELET_WEBHOOK_SECRET_LEADERBOARD", query.Webhook!.SecretEnv);
        Assert.Equal(("games", "WAVELET_DATABASE_URL"), (config.Database.Schema, config.Database.UrlEnv));
        Assert.Equal("WAVELET_JWT_SECRET", config.Auth.Jwt!.SecretEnv);
        Assert.Equal("apps/games", config.Project);

        var map = ConfigMapBuilder.Build(project, config);
        Assert.Equal("games-wavelet-config", map.Metadata.Name);
        var roundTrip = KubernetesJson.Deserialize<DataPlaneConfig>(map.Data![DataPlaneConfig.FileName])!;
        Assert.Equal("leaderboard", roundTrip.Queries[0].Name);
    }

    [Fact]
    public void Token_defaults_are_strict_and_the_project_can_loosen_them()
    {
        var project = TestProjects.Leaderboard();
        var sync = new DdlSyncResult("games", [], [], 0);
        var strict = DataPlaneConfigBuilder.Build(project, sync).Auth.Jwt!;
        Assert.Equal((false, 30, "Union"), (strict.AllowTokensWithoutExpiry, strict.ClockSkewSeconds, strict.ArrayClaims));

        project.Spec.Auth!.Jwt!.AllowTokensWithoutExpiry = true;
        project.Spec.Auth.Jwt.ClockSkewSeconds = 120;
        project.Spec.Auth.Jwt.ArrayClaims = "Single";
        var loose = DataPlaneConfigBuilder.Build(project, sync).Auth.Jwt!;
        Assert.Equal((true, 120, "Single"), (loose.AllowTokensWithoutExpiry, loose.ClockSkewSeconds, loose.ArrayClaims));
    }

    [Fact]
    public void Value_shape_defaults_to_upstream_and_mcp_to_off_and_both_follow_the_spec()
    {
        var project = TestProjects.Leaderboard();
        var sync = new DdlSyncResult("games", [], [], 0);
        var defaults = DataPlaneConfigBuilder.Build(project, sync);
        Assert.Equal(("Upstream", null), (defaults.ValueShape, defaults.Mcp));

        project.Spec.DataPlane = new Wavelet.Api.V1Alpha1.DataPlaneSpec { ValueShape = "Numbers", Mcp = new Wavelet.Api.V1Alpha1.McpSettings { Enabled = true } };
        var set = DataPlaneConfigBuilder.Build(project, sync);
        Assert.Equal(("Numbers", true), (set.ValueShape, set.Mcp?.Enabled));
    }
}
