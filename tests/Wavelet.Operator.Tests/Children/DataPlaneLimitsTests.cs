namespace Wavelet.Operator.Tests.Children;

/// <summary>Per-client limits and default resources reach the rendered config and pod (docs/security.md, "Limits").</summary>
public sealed class DataPlaneLimitsTests
{
    private static readonly Dictionary<string, string> Versions = new() { ["rw"] = "10", ["jwt"] = "11", ["hooks"] = "12" };
    private static readonly DdlSyncResult Sync = new("games", [], [], 0);

    [Fact]
    public void A_pod_without_resources_gets_bounded_default_requests_and_limits()
    {
        var container = DeploymentBuilder.Build(TestProjects.Leaderboard(), "img:1", Versions).Spec!.Template.Spec.Containers[0];
        Assert.Equal("100m", container.Resources!.Requests!["cpu"].ToString());
        Assert.Equal("128Mi", container.Resources.Requests["memory"].ToString());
        Assert.Equal("512Mi", container.Resources.Limits!["memory"].ToString());

        var project = TestProjects.Leaderboard();
        project.Spec.DataPlane = new DataPlaneSpec { Resources = new ResourceRequirements { Limits = new() { ["memory"] = "1Gi" } } };
        var custom = DeploymentBuilder.Build(project, "img:1", Versions).Spec!.Template.Spec.Containers[0].Resources!;
        Assert.Null(custom.Requests);
        Assert.Equal("1Gi", custom.Limits!["memory"].ToString());
    }

    [Fact]
    public void Connection_caps_and_write_rate_default_and_follow_the_spec()
    {
        var defaults = DataPlaneConfigBuilder.Build(TestProjects.Leaderboard(), Sync).Limits;
        Assert.Equal((1000, 100, 200, 400), (defaults.MaxConnectionsPerAddress, defaults.MaxConnectionsPerToken, defaults.WritesPerSecond, defaults.WriteBurst));

        var project = TestProjects.Leaderboard();
        project.Spec.DataPlane = new DataPlaneSpec { Limits = new DataPlaneLimits { MaxConnectionsPerAddress = 0, MaxConnectionsPerToken = 5, WritesPerSecond = 10 } };
        var set = DataPlaneConfigBuilder.Build(project, Sync).Limits;
        Assert.Equal((0, 5, 10, 20), (set.MaxConnectionsPerAddress, set.MaxConnectionsPerToken, set.WritesPerSecond, set.WriteBurst));
    }

    [Fact]
    public void Private_egress_is_off_unless_the_operator_allows_it_and_pull_secrets_reach_the_pod()
    {
        var project = TestProjects.Leaderboard();
        var closed = DeploymentBuilder.Build(project, "img:1", Versions).Spec!.Template.Spec;
        Assert.DoesNotContain(closed.Containers[0].Env!, e => e.Name == DataPlaneRuntime.AllowPrivateEgressEnv);
        Assert.Null(closed.ImagePullSecrets);

        project.Spec.DataPlane = new DataPlaneSpec { ImagePullSecrets = ["registry-creds"] };
        var open = DeploymentBuilder.Build(project, "img:1", Versions, allowPrivateEgress: true).Spec!.Template.Spec;
        Assert.Equal("true", Assert.Single(open.Containers[0].Env!, e => e.Name == DataPlaneRuntime.AllowPrivateEgressEnv).Value);
        Assert.Equal("registry-creds", Assert.Single(open.ImagePullSecrets!).Name);
    }
}
