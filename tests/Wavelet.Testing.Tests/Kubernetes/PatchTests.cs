namespace Wavelet.Testing.Tests.Kubernetes;

/// <summary>Strategic merge patch with the built-in list merge keys, and JSON patch (RFC 6902).</summary>
public sealed class PatchTests : FakeApiTest
{
    private const string Deployment = "/apis/apps/v1/namespaces/default/deployments/web";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var created = await Api.PostAsync("/apis/apps/v1/namespaces/default/deployments", """
            {"metadata":{"name":"web","finalizers":["a"]},"spec":{"replicas":1,"template":{"spec":{
              "containers":[{"name":"app","image":"a:1","env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}],"ports":[{"containerPort":80},{"containerPort":81}]},
                            {"name":"sidecar","image":"s:1"}]}}}}
            """);
        Assert.Equal(201, created.Status);
    }

    [Fact]
    public async Task Strategic_merge_merges_containers_env_and_ports_by_their_keys()
    {
        var patched = await Api.PatchAsync(Deployment, """
            {"metadata":{"finalizers":["b"]},"spec":{"template":{"spec":{"containers":[
              {"name":"app","image":"a:2","env":[{"name":"Y","value":"20"},{"name":"Z","value":"3"}],"ports":[{"containerPort":81,"name":"metrics"}]}]}}}}
            """, "application/strategic-merge-patch+json");
        Assert.Equal(200, patched.Status);
        Assert.Equal("[\"a\",\"b\"]", patched.At("metadata.finalizers"));
        Assert.Equal("a:2", patched.At("spec.template.spec.containers.0.image"));
        Assert.Equal("s:1", patched.At("spec.template.spec.containers.1.image"));
        Assert.Equal("[{\"name\":\"X\",\"value\":\"1\"},{\"name\":\"Y\",\"value\":\"20\"},{\"name\":\"Z\",\"value\":\"3\"}]", patched.At("spec.template.spec.containers.0.env"));
        Assert.Equal("[{\"containerPort\":80},{\"containerPort\":81,\"name\":\"metrics\"}]", patched.At("spec.template.spec.containers.0.ports"));
    }

    [Fact]
    public async Task Strategic_merge_directives_delete_and_replace()
    {
        var patched = await Api.PatchAsync(Deployment, """
            {"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"},{"name":"app","env":[{"$patch":"replace"},{"name":"ONLY","value":"1"}]}]}}}}
            """, "application/strategic-merge-patch+json");
        Assert.Equal(200, patched.Status);
        Assert.Null(patched.At("spec.template.spec.containers.1"));
        Assert.Equal("[{\"name\":\"ONLY\",\"value\":\"1\"}]", patched.At("spec.template.spec.containers.0.env"));
    }

    [Fact]
    public async Task Json_patch_applies_operations_in_order_and_a_failed_test_changes_nothing()
    {
        var patched = await Api.PatchAsync(Deployment, """
            [{"op":"replace","path":"/spec/replicas","value":3},
             {"op":"add","path":"/metadata/labels","value":{"a/b":"c"}},
             {"op":"copy","from":"/metadata/labels/a~1b","path":"/metadata/labels/d"},
             {"op":"remove","path":"/spec/template/spec/containers/1"}]
            """, "application/json-patch+json");
        Assert.Equal(200, patched.Status);
        Assert.Equal("3", patched.At("spec.replicas"));
        Assert.Equal("{\"a/b\":\"c\",\"d\":\"c\"}", patched.At("metadata.labels"));
        Assert.Null(patched.At("spec.template.spec.containers.1"));

        var failed = await Api.PatchAsync(Deployment, """[{"op":"replace","path":"/spec/replicas","value":9},{"op":"test","path":"/spec/replicas","value":4}]""", "application/json-patch+json");
        Assert.Equal(422, failed.Status);
        Assert.Equal("3", (await Api.GetAsync(Deployment)).At("spec.replicas"));
    }

    [Fact]
    public async Task The_scale_subresource_reads_and_sets_spec_replicas()
    {
        var scale = await Api.GetAsync(Deployment + "/scale");
        Assert.Equal(("Scale", "autoscaling/v1", "1"), (scale.At("kind"), scale.At("apiVersion"), scale.At("spec.replicas")));
        var scaled = await Api.PatchAsync(Deployment + "/scale", """{"spec":{"replicas":4}}""", "application/merge-patch+json");
        Assert.Equal("4", scaled.At("spec.replicas"));
        Assert.Equal("4", (await Api.GetAsync(Deployment)).At("spec.replicas"));
        Assert.Contains("\"name\":\"deployments/scale\"", (await Api.GetAsync("/apis/apps/v1")).Text, StringComparison.Ordinal);
        Assert.Equal(404, (await Api.GetAsync("/api/v1/namespaces/default/configmaps/x/scale")).Status);
    }
}
