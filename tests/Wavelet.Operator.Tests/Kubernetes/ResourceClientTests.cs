using System.Text.Json.Nodes;
using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Kubernetes;

namespace Wavelet.Operator.Tests.Kubernetes;

public sealed class ResourceClientTests : FakeClusterTestBase
{
    private ResourceClient<V1ConfigMap> ConfigMaps => Client.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps);
    private ResourceClient<WaveletProject> Projects => Client.Resource<WaveletProject>(ResourceTypes.WaveletProjects);

    [Fact]
    public async Task ConfigMap_create_get_replace_delete_round_trip()
    {
        var created = await ConfigMaps.CreateAsync(ConfigMap("settings", ("a", "1")));
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);

        var read = await ConfigMaps.GetAsync(Ns, "settings");
        Assert.NotNull(read);
        Assert.Equal("1", read.Data!["a"]);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);

        read.Data["a"] = "2";
        var replaced = await ConfigMaps.ReplaceAsync(read);
        Assert.NotEqual(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
        Assert.Equal("2", (await ConfigMaps.GetAsync(Ns, "settings"))!.Data!["a"]);

        Assert.True(await ConfigMaps.DeleteAsync(Ns, "settings"));
        Assert.Null(await ConfigMaps.GetAsync(Ns, "settings"));
        Assert.False(await ConfigMaps.DeleteAsync(Ns, "settings"));
    }

    [Fact]
    public async Task Create_twice_is_a_typed_AlreadyExists()
    {
        await ConfigMaps.CreateAsync(ConfigMap("dup"));
        var error = await Assert.ThrowsAsync<KubernetesException>(() => ConfigMaps.CreateAsync(ConfigMap("dup")));
        Assert.True(error.IsAlreadyExists);
        Assert.False(error.IsConflict);
        Assert.Equal(409, (int)error.StatusCode);
    }

    [Fact]
    public async Task Replace_with_a_stale_resourceVersion_is_a_typed_conflict()
    {
        var created = await Projects.CreateAsync(Project("shop"));
        var first = (await Projects.GetAsync(Ns, "shop"))!;
        first.Spec.Suspend = true;
        await Projects.ReplaceAsync(first);

        created.Spec.Suspend = false; // still carries the old resourceVersion
        var error = await Assert.ThrowsAsync<KubernetesException>(() => Projects.ReplaceAsync(created));
        Assert.True(error.IsConflict);
        Assert.Contains("the object has been modified", error.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Custom_resource_PUT_without_resourceVersion_is_Invalid()
    {
        await Projects.CreateAsync(Project("shop"));
        var error = await Assert.ThrowsAsync<KubernetesException>(() => Projects.ReplaceAsync(Project("shop")));
        Assert.True(error.IsInvalid);
        Assert.Equal(422, (int)error.StatusCode);
        Assert.Contains("resourceVersion", error.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generation_bumps_on_spec_changes_only_and_status_is_a_separate_subresource()
    {
        var created = await Projects.CreateAsync(Project("shop"));
        Assert.Equal(1, created.Metadata.Generation);

        created.Status = new WaveletProjectStatus { ObservedGeneration = 1, Endpoint = "http://shop" };
        var withStatus = await Projects.ReplaceStatusAsync(created);
        Assert.Equal(1, withStatus.Metadata.Generation);
        Assert.Equal("http://shop", withStatus.Status!.Endpoint);

        withStatus.Spec.Suspend = true;
        withStatus.Status!.Endpoint = "ignored-on-main-endpoint";
        var specChanged = await Projects.ReplaceAsync(withStatus);
        Assert.Equal(2, specChanged.Metadata.Generation);
        Assert.Equal("http://shop", specChanged.Status!.Endpoint);

        specChanged.Metadata.Labels = new() { ["tier"] = "gold" };
        var labelsOnly = await Projects.ReplaceAsync(specChanged);
        Assert.Equal(2, labelsOnly.Metadata.Generation);

        labelsOnly.Spec.Suspend = false;
        labelsOnly.Status!.Endpoint = "http://moved";
        var statusWrite = await Projects.ReplaceStatusAsync(labelsOnly);
        Assert.True(statusWrite.Spec.Suspend); // /status ignores spec
        Assert.Equal("http://moved", statusWrite.Status!.Endpoint);
    }

    [Fact]
    public async Task An_identical_replace_does_not_change_the_resourceVersion()
    {
        var created = await ConfigMaps.CreateAsync(ConfigMap("same", ("a", "1")));
        var again = await ConfigMaps.ReplaceAsync(created);
        Assert.Equal(created.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Merge_patch_changes_and_removes_fields_on_object_and_status()
    {
        await ConfigMaps.CreateAsync(ConfigMap("m", ("keep", "1"), ("drop", "2")));
        var patched = await ConfigMaps.PatchMergeAsync(Ns, "m", new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["x"] = "y" } },
            ["data"] = new JsonObject { ["drop"] = null, ["new"] = "3" },
        });
        Assert.Equal("y", patched.Metadata.Labels!["x"]);
        Assert.Equal(new Dictionary<string, string> { ["keep"] = "1", ["new"] = "3" }, patched.Data);

        await Projects.CreateAsync(Project("p"));
        var status = await Projects.PatchStatusMergeAsync(Ns, "p", new { status = new { endpoint = "http://p", readyReplicas = 2 } });
        Assert.Equal("http://p", status.Status!.Endpoint);
        Assert.Equal(1, status.Metadata.Generation);
        var ignored = await Projects.PatchMergeAsync(Ns, "p", new { status = new { endpoint = "nope" } });
        Assert.Equal("http://p", ignored.Status!.Endpoint);
    }

    [Fact]
    public async Task Apply_creates_then_removes_fields_the_manager_stopped_sending()
    {
        var intent = ConfigMap("applied", ("a", "1"), ("b", "2"));
        intent.Metadata.Labels = new() { ["app"] = "x" };
        var created = await ConfigMaps.ApplyAsync(intent, "wavelet-operator");
        Assert.Equal(2, created.Data!.Count);
        Assert.Contains(Server.Requests.All, r => r.Method == "PATCH" && r.FieldManager == "wavelet-operator" && r.ContentType == "application/apply-patch+yaml" && r.QueryValue("force") == "true");

        // someone else adds a key with a merge patch: apply must not remove what it never sent
        await ConfigMaps.PatchMergeAsync(Ns, "applied", new { data = new { other = "o" } });

        var smaller = ConfigMap("applied", ("a", "10"));
        var applied = await ConfigMaps.ApplyAsync(smaller, "wavelet-operator");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "10", ["other"] = "o" }, applied.Data);
        Assert.Empty(applied.Metadata.Labels ?? []);
    }

    [Fact]
    public async Task Apply_without_force_reports_a_field_manager_conflict()
    {
        await ConfigMaps.ApplyAsync(ConfigMap("shared", ("a", "1")), "first");
        var error = await Assert.ThrowsAsync<KubernetesException>(() => ConfigMaps.ApplyAsync(ConfigMap("shared", ("a", "2")), "second", force: false));
        Assert.True(error.IsConflict);
        Assert.Contains(error.Status.Details!.Causes!, c => c.Reason == "FieldManagerConflict" && c.Field == ".data.a");

        var forced = await ConfigMaps.ApplyAsync(ConfigMap("shared", ("a", "2")), "second", force: true);
        Assert.Equal("2", forced.Data!["a"]);
    }

    [Fact]
    public async Task Apply_status_round_trip_keeps_spec_untouched()
    {
        var project = Project("s");
        project.Spec.Suspend = true;
        await Projects.ApplyAsync(project, "wavelet-operator");

        var statusIntent = Project("s");
        statusIntent.Status = new WaveletProjectStatus { ObservedGeneration = 1, Endpoint = "http://s", Conditions = [new V1Condition { Type = "Ready", Status = ConditionStatus.True, Reason = "Synced", LastTransitionTime = Clock.GetUtcNow() }] };
        var applied = await Projects.ApplyStatusAsync(statusIntent, "wavelet-operator");
        Assert.Equal("http://s", applied.Status!.Endpoint);
        Assert.True(applied.Spec.Suspend);
        Assert.Equal(1, applied.Metadata.Generation);
        Assert.EndsWith("/waveletprojects/s/status", Server.Requests.All[^1].Path, StringComparison.Ordinal);

        var read = await Projects.GetAsync(Ns, "s");
        Assert.Equal("Ready", Assert.Single(read!.Status!.Conditions).Type);
    }

    [Fact]
    public async Task Finalizers_hold_deletion_until_removed()
    {
        var project = Project("fin");
        project.Metadata.Finalizers = ["wavelet.risingwave.com/finalizer"];
        await Projects.CreateAsync(project);

        Assert.True(await Projects.DeleteAsync(Ns, "fin"));
        var terminating = await Projects.GetAsync(Ns, "fin");
        Assert.NotNull(terminating?.Metadata.DeletionTimestamp);

        terminating!.Metadata.Finalizers = [];
        await Projects.ReplaceAsync(terminating);
        Assert.Null(await Projects.GetAsync(Ns, "fin"));
    }

    [Fact]
    public async Task Delete_preconditions_and_owner_garbage_collection()
    {
        var owner = await Projects.CreateAsync(Project("owner"));
        var child = ConfigMap("owned");
        child.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = owner.ApiVersion, Kind = owner.Kind, Name = "owner", Uid = owner.Metadata.Uid!, Controller = true }];
        await ConfigMaps.CreateAsync(child);

        var wrongUid = await Assert.ThrowsAsync<KubernetesException>(() =>
            Projects.DeleteAsync(Ns, "owner", new DeleteOptions { Preconditions = new V1Preconditions { Uid = "not-the-uid" } }));
        Assert.True(wrongUid.IsConflict);

        Assert.True(await Projects.DeleteAsync(Ns, "owner", new DeleteOptions { PropagationPolicy = PropagationPolicy.Background, Preconditions = new V1Preconditions { Uid = owner.Metadata.Uid } }));
        Assert.Null(await ConfigMaps.GetAsync(Ns, "owned"));
    }

    [Fact]
    public async Task Orphan_propagation_keeps_dependents()
    {
        var owner = await Projects.CreateAsync(Project("owner"));
        var child = ConfigMap("kept");
        child.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = owner.ApiVersion, Kind = owner.Kind, Name = "owner", Uid = owner.Metadata.Uid! }];
        await ConfigMaps.CreateAsync(child);

        await Projects.DeleteAsync(Ns, "owner", new DeleteOptions { PropagationPolicy = PropagationPolicy.Orphan });
        var kept = await ConfigMaps.GetAsync(Ns, "kept");
        Assert.NotNull(kept);
        Assert.Empty(kept.Metadata.OwnerReferences ?? []);
    }

    [Fact]
    public async Task List_pages_through_everything_with_selectors()
    {
        for (var i = 0; i < 5; i++)
        {
            var map = ConfigMap($"cm-{i}");
            map.Metadata.Labels = new() { ["app.kubernetes.io/managed-by"] = i % 2 == 0 ? "wavelet-operator" : "someone" };
            await ConfigMaps.CreateAsync(map);
        }

        var page = await ConfigMaps.ListAsync(Ns, new ListOptions { Limit = 2 });
        Assert.Equal(2, page.Items.Count);
        Assert.False(string.IsNullOrEmpty(page.Metadata.Continue));
        Assert.All(page.Items, item => Assert.Equal("ConfigMap", item.Kind)); // list items come without kind; the client fills it

        var all = await ConfigMaps.ListAllAsync(Ns, pageSize: 2);
        Assert.Equal(["cm-0", "cm-1", "cm-2", "cm-3", "cm-4"], all.Items.Select(i => i.Metadata.Name));
        Assert.Equal(3, Server.Requests.Count(r => r.Method == "GET" && r.QueryValue("limit") == "2" && r.Path.EndsWith("/configmaps", StringComparison.Ordinal)) - 1);

        var managed = await ConfigMaps.ListAllAsync(Ns, new ListOptions { LabelSelector = "app.kubernetes.io/managed-by=wavelet-operator" });
        Assert.Equal(["cm-0", "cm-2", "cm-4"], managed.Items.Select(i => i.Metadata.Name));

        var byName = await ConfigMaps.ListAsync(null, new ListOptions { FieldSelector = "metadata.name=cm-3" });
        Assert.Equal("cm-3", Assert.Single(byName.Items).Metadata.Name);
    }

    [Fact]
    public async Task An_expired_continue_token_falls_back_to_one_full_list()
    {
        for (var i = 0; i < 3; i++)
        {
            await ConfigMaps.CreateAsync(ConfigMap($"cm-{i}"));
        }

        var first = await ConfigMaps.ListAsync(Ns, new ListOptions { Limit = 1 });
        Server.Faults.ExpireHistory();
        var error = await Assert.ThrowsAsync<KubernetesException>(() => ConfigMaps.ListAsync(Ns, new ListOptions { Limit = 1, Continue = first.Metadata.Continue }));
        Assert.True(error.IsGone);

        Server.Faults.FailNext(1, 410, "The provided continue parameter is too old", match: r => r.QueryValue("continue") is not null);
        var all = await ConfigMaps.ListAllAsync(Ns, pageSize: 1);
        Assert.Equal(3, all.Items.Count);
    }

    [Fact]
    public async Task Secrets_round_trip_bytes_as_base64()
    {
        var secrets = Client.Resource<V1Secret>(ResourceTypes.Secrets);
        await secrets.CreateAsync(new V1Secret { Metadata = new() { Name = "db", NamespaceProperty = Ns }, Data = new() { ["url"] = "postgres://x"u8.ToArray() } });
        Assert.Equal("cG9zdGdyZXM6Ly94", Server.GetObject("v1", "secrets", Ns, "db")!["data"]!["url"]!.GetValue<string>());
        var read = await secrets.GetAsync(Ns, "db");
        Assert.Equal("postgres://x"u8.ToArray(), read!.Data!["url"]);
    }

    [Fact]
    public async Task Missing_namespace_is_a_clear_argument_error()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ConfigMaps.CreateAsync(new V1ConfigMap { Metadata = new() { Name = "x" } }));
        Assert.Contains("metadata.namespace", error.Message, StringComparison.Ordinal);
    }

    private static V1ConfigMap ConfigMap(string name, params (string Key, string Value)[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
        Data = data.Length == 0 ? null : data.ToDictionary(d => d.Key, d => d.Value),
    };

    private static WaveletProject Project(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
    };
}
