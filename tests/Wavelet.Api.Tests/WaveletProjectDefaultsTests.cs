namespace Wavelet.Api.Tests;

public class WaveletProjectDefaultsTests
{
    [Fact]
    public void Schema_comes_from_the_resource_name_unless_set()
    {
        var project = TestProjects.Valid();
        Assert.Equal("game_stats", WaveletProjectDefaults.EffectiveSchema(project));
        project.Spec.Risingwave.Schema = "games";
        Assert.Equal("games", WaveletProjectDefaults.EffectiveSchema(project));
    }

    [Fact]
    public void Retention_prefers_the_query_then_the_project_then_24h()
    {
        var project = TestProjects.Valid();
        var query = project.Spec.Queries[0];
        Assert.Equal("24h", WaveletProjectDefaults.EffectiveRetention(project));
        Assert.Equal("24h", WaveletProjectDefaults.EffectiveRetention(project, query));
        project.Spec.Risingwave.SubscriptionRetention = "2d";
        Assert.Equal("2d", WaveletProjectDefaults.EffectiveRetention(project, query));
        query.Retention = "30m";
        Assert.Equal("30m", WaveletProjectDefaults.EffectiveRetention(project, query));
        Assert.Equal("2d", WaveletProjectDefaults.EffectiveRetention(project, project.Spec.Queries[1]));
    }

    [Fact]
    public void Filter_claim_defaults_to_the_filter_column()
    {
        Assert.Null(WaveletProjectDefaults.EffectiveFilterClaim(new QuerySpec { Name = "q", Sql = "SELECT 1" }));
        Assert.Equal("tenant_id", WaveletProjectDefaults.EffectiveFilterClaim(new QuerySpec { FilterBy = "tenant_id" }));
        Assert.Equal("org", WaveletProjectDefaults.EffectiveFilterClaim(new QuerySpec { FilterBy = "tenant_id", FilterClaim = "org" }));
    }

    [Fact]
    public void Writes_are_public_only_when_set_explicitly()
    {
        var project = TestProjects.Valid();
        Assert.Equal(WriteAccess.Authenticated, WaveletProjectDefaults.EffectiveWrites(project));
        project.Spec.Auth = null;
        Assert.Equal(WriteAccess.Authenticated, WaveletProjectDefaults.EffectiveWrites(project));
        Assert.False(WaveletProjectDefaults.HasJwt(project));
        project.Spec.Auth = new() { Writes = WriteAccess.Public };
        Assert.Equal(WriteAccess.Public, WaveletProjectDefaults.EffectiveWrites(project));
    }

    [Fact]
    public void HasJwt_needs_a_key_source()
    {
        var project = TestProjects.Valid();
        Assert.True(WaveletProjectDefaults.HasJwt(project));
        project.Spec.Auth!.Jwt = new() { Issuer = "x" };
        Assert.False(WaveletProjectDefaults.HasJwt(project));
        project.Spec.Auth.Jwt.JwksUrl = "https://issuer.example.com/jwks.json";
        Assert.True(WaveletProjectDefaults.HasJwt(project));
    }

    [Fact]
    public void Scalar_defaults()
    {
        var project = TestProjects.Valid();
        Assert.Equal(DeletionPolicies.Retain, WaveletProjectDefaults.EffectiveDeletionPolicy(project));
        Assert.False(WaveletProjectDefaults.IsSuspended(project));
        Assert.False(WaveletProjectDefaults.EffectiveAllowDestructiveChanges(project));
        Assert.Equal(2, WaveletProjectDefaults.EffectiveReplicas(project));
        Assert.Equal("wavelet_sub_leaderboard", WaveletProjectDefaults.SubscriptionName(project.Spec.Queries[0]));
        Assert.Equal("SELECT 1", WaveletProjectDefaults.EffectiveSql(new QuerySpec { Sql = "SELECT 1 ;\n" }));

        project.Spec.DeletionPolicy = DeletionPolicies.Delete;
        project.Spec.Suspend = true;
        project.Spec.Ddl = new() { AllowDestructiveChanges = true };
        project.Spec.DataPlane = new() { Replicas = 0 };
        Assert.Equal(DeletionPolicies.Delete, WaveletProjectDefaults.EffectiveDeletionPolicy(project));
        Assert.True(WaveletProjectDefaults.IsSuspended(project));
        Assert.True(WaveletProjectDefaults.EffectiveAllowDestructiveChanges(project));
        Assert.Equal(0, WaveletProjectDefaults.EffectiveReplicas(project));
    }

    [Fact]
    public void ApplyDefaults_fills_a_copy_and_leaves_the_original_alone()
    {
        var project = TestProjects.Valid();
        var before = KubernetesJson.Serialize(project);
        var defaulted = WaveletProjectDefaults.ApplyDefaults(project);

        Assert.Equal(before, KubernetesJson.Serialize(project));
        Assert.Equal("game_stats", defaulted.Spec.Risingwave.Schema);
        Assert.Equal("24h", defaulted.Spec.Risingwave.SubscriptionRetention);
        Assert.All(defaulted.Spec.Queries, q => Assert.Equal("24h", q.Retention));
        Assert.Null(defaulted.Spec.Queries[0].FilterClaim);
        Assert.Equal("sub", defaulted.Spec.Queries[1].FilterClaim);
        Assert.Equal(WriteAccess.Authenticated, defaulted.Spec.Auth!.Writes);
        Assert.Equal(2, defaulted.Spec.DataPlane!.Replicas);
        Assert.False(defaulted.Spec.Ddl!.AllowDestructiveChanges);
        Assert.Equal(DeletionPolicies.Retain, defaulted.Spec.DeletionPolicy);
        Assert.False(defaulted.Spec.Suspend);
        Assert.Equal(KubernetesJson.Serialize(defaulted), KubernetesJson.Serialize(WaveletProjectDefaults.ApplyDefaults(defaulted)));
    }
}
