namespace Wavelet.Testing.Tests.Kubernetes;

/// <summary>Foreground and background deletion through ownerReferences.</summary>
public sealed class DeletionTests : FakeApiTest
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task Foreground_deletion_keeps_the_owner_until_its_dependents_are_gone()
    {
        var owner = await Api.PostAsync(ConfigMaps, """{"metadata":{"name":"owner"}}""");
        var uid = owner.At("metadata.uid");
        Assert.Equal(201, (await Api.PostAsync(ConfigMaps, Dependent("held", uid!, "\"finalizers\":[\"example.com/hold\"],"))).Status);
        Assert.Equal(201, (await Api.PostAsync(ConfigMaps, Dependent("free", uid!, ""))).Status);

        var deleting = await Api.DeleteAsync(ConfigMaps + "/owner", """{"propagationPolicy":"Foreground"}""");
        Assert.Equal(200, deleting.Status);
        var held = await Api.GetAsync(ConfigMaps + "/owner");
        Assert.Equal("[\"foregroundDeletion\"]", held.At("metadata.finalizers"));
        Assert.NotNull(held.At("metadata.deletionTimestamp"));
        Assert.Equal(404, (await Api.GetAsync(ConfigMaps + "/free")).Status);

        Assert.Equal(200, (await Api.PatchAsync(ConfigMaps + "/held", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json")).Status);
        Assert.Equal(404, (await Api.GetAsync(ConfigMaps + "/held")).Status);
        Assert.Equal(404, (await Api.GetAsync(ConfigMaps + "/owner")).Status);
    }

    [Fact]
    public async Task Background_deletion_removes_the_owner_first_and_orphan_keeps_dependents()
    {
        var uid = (await Api.PostAsync(ConfigMaps, """{"metadata":{"name":"owner"}}""")).At("metadata.uid")!;
        Assert.Equal(201, (await Api.PostAsync(ConfigMaps, Dependent("child", uid, ""))).Status);
        Assert.Equal(200, (await Api.DeleteAsync(ConfigMaps + "/owner?propagationPolicy=Background")).Status);
        Assert.Equal(404, (await Api.GetAsync(ConfigMaps + "/owner")).Status);
        Assert.Equal(404, (await Api.GetAsync(ConfigMaps + "/child")).Status);

        uid = (await Api.PostAsync(ConfigMaps, """{"metadata":{"name":"owner"}}""")).At("metadata.uid")!;
        Assert.Equal(201, (await Api.PostAsync(ConfigMaps, Dependent("child", uid, ""))).Status);
        Assert.Equal(200, (await Api.DeleteAsync(ConfigMaps + "/owner", """{"propagationPolicy":"Orphan"}""")).Status);
        var orphan = await Api.GetAsync(ConfigMaps + "/child");
        Assert.Equal(200, orphan.Status);
        Assert.Equal("[]", orphan.At("metadata.ownerReferences"));
    }

    private static string Dependent(string name, string ownerUid, string extra) =>
        "{\"metadata\":{\"name\":\"" + name + "\"," + extra +
        "\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"owner\",\"uid\":\"" + ownerUid + "\",\"blockOwnerDeletion\":true}]}}";
}
