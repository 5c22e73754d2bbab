namespace Wavelet.Testing.Tests.Kubernetes;

/// <summary>managedFields: who owns what after applies and updates, conflicts, force.</summary>
public sealed class FieldManagementTests : FakeApiTest
{
    private const string Deployment = "/apis/apps/v1/namespaces/default/deployments/web";
    private const string Intent = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"tier":"front"}},"spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"app","image":"a:1"}]}}}}""";

    [Fact]
    public async Task Apply_managers_own_what_they_sent_and_update_managers_what_they_changed()
    {
        var applied = await Apply("deployer", Intent);
        Assert.Equal(201, applied.Status);
        var owned = Entry(applied, "deployer", "Apply")!;
        Assert.Equal("FieldsV1", owned["fieldsType"]!.GetValue<string>());
        var fields = owned["fieldsV1"]!;
        Assert.NotNull(fields["f:spec"]!["f:replicas"]);
        Assert.NotNull(fields["f:metadata"]!["f:labels"]!["f:tier"]);
        Assert.NotNull(fields["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"app\"}"]!["f:image"]);

        var scaled = await Api.PatchAsync(Deployment + "?fieldManager=scaler", """{"spec":{"replicas":5}}""", "application/merge-patch+json");
        var update = Entry(scaled, "scaler", "Update")!;
        Assert.Equal("{\"f:spec\":{\"f:replicas\":{}}}", update["fieldsV1"]!.ToJsonString());
        Assert.Null(Entry(scaled, "deployer", "Apply")!["fieldsV1"]!["f:spec"]!["f:replicas"]);
    }

    [Fact]
    public async Task A_conflicting_apply_is_refused_naming_the_other_manager_and_force_takes_the_field()
    {
        Assert.Equal(201, (await Apply("deployer", Intent)).Status);
        Assert.Equal(200, (await Api.PatchAsync(Deployment + "?fieldManager=scaler", """{"spec":{"replicas":5}}""", "application/merge-patch+json")).Status);

        var conflict = await Apply("deployer", Intent);
        Assert.Equal(409, conflict.Status);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"scaler\" using apps/v1: .spec.replicas", conflict.At("message"));
        Assert.Equal("FieldManagerConflict", conflict.At("details.causes.0.reason"));
        Assert.Equal("5", (await Api.GetAsync(Deployment)).At("spec.replicas"));

        var forced = await Apply("deployer", Intent, force: true);
        Assert.Equal(200, forced.Status);
        Assert.Equal("2", forced.At("spec.replicas"));
        Assert.Null(Entry(forced, "scaler", "Update"));
    }

    [Fact]
    public async Task An_identical_apply_changes_nothing_and_a_dropped_field_is_removed()
    {
        var first = await Apply("deployer", Intent);
        var second = await Apply("deployer", Intent);
        Assert.Equal(first.At("metadata.resourceVersion"), second.At("metadata.resourceVersion"));

        var smaller = await Apply("deployer", Intent.Replace(",\"labels\":{\"tier\":\"front\"}", "", StringComparison.Ordinal));
        Assert.Null(smaller.At("metadata.labels.tier"));
        Assert.Equal("a:1", smaller.At("spec.template.spec.containers.0.image"));
    }

    [Fact]
    public async Task Apply_bodies_may_be_yaml()
    {
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n  retries: \"3\"\n";
        var applied = await Api.PatchAsync("/api/v1/namespaces/default/configmaps/settings?fieldManager=kubectl", yaml, "application/apply-patch+yaml");
        Assert.Equal(201, applied.Status);
        Assert.Equal("fast", applied.At("data.mode"));
        Assert.Equal("3", applied.At("data.retries"));
    }

    private Task<FakeApi.Answer> Apply(string manager, string body, bool force = false) =>
        Api.PatchAsync($"{Deployment}?fieldManager={manager}{(force ? "&force=true" : "")}", body, "application/apply-patch+yaml");

    private static JsonNode? Entry(FakeApi.Answer answer, string manager, string operation) =>
        answer.Body["metadata"]!["managedFields"]?.AsArray().FirstOrDefault(e => e!["manager"]!.GetValue<string>() == manager && e["operation"]!.GetValue<string>() == operation);
}
