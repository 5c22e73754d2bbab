namespace Wavelet.Testing.Tests.Kubernetes;

/// <summary>Dry runs, Secret stringData, namespace existence and resourceVersionMatch.</summary>
public sealed class WriteSemanticsTests : FakeApiTest
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task Dry_runs_are_validated_and_answered_but_store_nothing()
    {
        var version = Api.Server.CurrentResourceVersion;
        var created = await Api.PostAsync(ConfigMaps + "?dryRun=All", """{"metadata":{"name":"c"},"data":{"a":"1"}}""");
        Assert.Equal(201, created.Status);
        Assert.Equal("1", created.At("data.a"));
        Assert.Equal(404, (await Api.GetAsync(ConfigMaps + "/c")).Status);
        Assert.Equal(422, (await Api.PostAsync(ConfigMaps + "?dryRun=All", """{"metadata":{"name":"Not_Valid"}}""")).Status);
        Assert.Equal(version, Api.Server.CurrentResourceVersion);

        Assert.Equal(201, (await Api.PostAsync(ConfigMaps, """{"metadata":{"name":"c"},"data":{"a":"1"}}""")).Status);
        version = Api.Server.CurrentResourceVersion;
        Assert.Equal("2", (await Api.PatchAsync(ConfigMaps + "/c?dryRun=All", """{"data":{"a":"2"}}""", "application/merge-patch+json")).At("data.a"));
        var current = await Api.GetAsync(ConfigMaps + "/c");
        Assert.Equal("3", (await Api.PutAsync(ConfigMaps + "/c?dryRun=All", current.Text.Replace("\"a\":\"1\"", "\"a\":\"3\"", StringComparison.Ordinal))).At("data.a"));
        Assert.Equal(200, (await Api.DeleteAsync(ConfigMaps + "/c?dryRun=All")).Status);
        Assert.Equal("1", (await Api.GetAsync(ConfigMaps + "/c")).At("data.a"));
        Assert.Equal(version, Api.Server.CurrentResourceVersion);
        Assert.Equal(400, (await Api.DeleteAsync(ConfigMaps + "/c?dryRun=Some")).Status);
    }

    [Fact]
    public async Task Secret_stringData_is_merged_into_data_and_not_stored()
    {
        var created = await Api.PostAsync("/api/v1/namespaces/default/secrets", """{"metadata":{"name":"s"},"data":{"a":"b2xk"},"stringData":{"a":"new","b":"x"}}""");
        Assert.Equal(201, created.Status);
        Assert.Equal("bmV3", created.At("data.a"));
        Assert.Equal("eA==", created.At("data.b"));
        Assert.Null(created.At("stringData"));
        Assert.Equal("Opaque", created.At("type"));
        Assert.Equal(400, (await Api.PostAsync("/api/v1/namespaces/default/secrets", """{"metadata":{"name":"t"},"data":{"a":"not base64!"}}""")).Status);
    }

    [Fact]
    public async Task Objects_need_an_existing_namespace_that_is_not_terminating()
    {
        var missing = await Api.PostAsync("/api/v1/namespaces/nowhere/configmaps", """{"metadata":{"name":"c"}}""");
        Assert.Equal(404, missing.Status);
        Assert.Equal("namespaces \"nowhere\" not found", missing.At("message"));

        Assert.Equal(201, (await Api.PostAsync("/api/v1/namespaces", """{"metadata":{"name":"team"}}""")).Status);
        Assert.Equal(201, (await Api.PostAsync("/api/v1/namespaces/team/configmaps", """{"metadata":{"name":"c","finalizers":["example.com/hold"]}}""")).Status);
        Assert.Equal(200, (await Api.DeleteAsync("/api/v1/namespaces/team")).Status);
        Assert.Equal("Terminating", (await Api.GetAsync("/api/v1/namespaces/team")).At("status.phase"));
        Assert.Equal(403, (await Api.PostAsync("/api/v1/namespaces/team/configmaps", """{"metadata":{"name":"d"}}""")).Status);

        Assert.Equal(200, (await Api.PatchAsync("/api/v1/namespaces/team/configmaps/c", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json")).Status);
        Assert.Equal(404, (await Api.GetAsync("/api/v1/namespaces/team")).Status);
    }

    [Fact]
    public async Task ResourceVersionMatch_Exact_lists_the_state_at_that_version()
    {
        Assert.Equal(201, (await Api.PostAsync(ConfigMaps, """{"metadata":{"name":"a"},"data":{"v":"1"}}""")).Status);
        var then = (await Api.GetAsync(ConfigMaps)).At("metadata.resourceVersion")!;
        Assert.Equal(200, (await Api.PatchAsync(ConfigMaps + "/a", """{"data":{"v":"2"}}""", "application/merge-patch+json")).Status);
        Assert.Equal(201, (await Api.PostAsync(ConfigMaps, """{"metadata":{"name":"b"}}""")).Status);

        var exact = await Api.GetAsync($"{ConfigMaps}?resourceVersion={then}&resourceVersionMatch=Exact");
        Assert.Equal(then, exact.At("metadata.resourceVersion"));
        Assert.Equal("1", exact.At("items.0.data.v"));
        Assert.Null(exact.At("items.1"));
        Assert.Equal("2", (await Api.GetAsync($"{ConfigMaps}?resourceVersion={then}&resourceVersionMatch=NotOlderThan")).At("items.0.data.v"));
        Assert.Equal(422, (await Api.GetAsync($"{ConfigMaps}?resourceVersionMatch=Exact")).Status);
        Assert.Equal(504, (await Api.GetAsync($"{ConfigMaps}?resourceVersion=99999999&resourceVersionMatch=NotOlderThan")).Status);
        Api.Server.Faults.ExpireHistory();
        Assert.Equal(410, (await Api.GetAsync($"{ConfigMaps}?resourceVersion={then}&resourceVersionMatch=Exact")).Status);
    }
}
