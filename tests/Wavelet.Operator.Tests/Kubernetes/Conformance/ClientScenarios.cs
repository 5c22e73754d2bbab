using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Wavelet.Api.Meta;
using Wavelet.Operator.Kubernetes;
using Wavelet.Testing;

namespace Wavelet.Operator.Tests.Kubernetes.Conformance;

/// <summary>
/// Client behaviour that must hold on the fake server and on a real cluster alike. Only the client API is used, and
/// every wait is an Eventually (a real cluster's garbage collector and watches are asynchronous).
/// </summary>
internal static class ClientScenarios
{
    public static async Task CrudConflictAndAlreadyExistsAsync(ClusterTarget target)
    {
        var maps = ConfigMaps(target);
        var created = await maps.CreateAsync(Map(target, "crud", ("a", "1")));
        Assert.True((await Assert.ThrowsAsync<KubernetesException>(() => maps.CreateAsync(Map(target, "crud")))).IsAlreadyExists);

        var read = (await maps.GetAsync(target.Namespace, "crud"))!;
        read.Data!["a"] = "2";
        var replaced = await maps.ReplaceAsync(read);
        Assert.NotEqual(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);

        created.Data!["a"] = "stale";
        Assert.True((await Assert.ThrowsAsync<KubernetesException>(() => maps.ReplaceAsync(created))).IsConflict);

        Assert.True(await maps.DeleteAsync(target.Namespace, "crud"));
        Assert.Null(await maps.GetAsync(target.Namespace, "crud"));
        Assert.False(await maps.DeleteAsync(target.Namespace, "crud"));
    }

    public static async Task MergePatchAndApplyAsync(ClusterTarget target)
    {
        var maps = ConfigMaps(target);
        await maps.CreateAsync(Map(target, "patched", ("keep", "1"), ("drop", "2")));
        var patched = await maps.PatchMergeAsync(target.Namespace, "patched", new JsonObject { ["data"] = new JsonObject { ["drop"] = null, ["new"] = "3" } });
        Assert.Equal(new Dictionary<string, string> { ["keep"] = "1", ["new"] = "3" }, patched.Data);

        var applied = await maps.ApplyAsync(Map(target, "applied", ("a", "1"), ("b", "2")), "wavelet-test");
        Assert.Equal(2, applied.Data!.Count);
        var reduced = await maps.ApplyAsync(Map(target, "applied", ("a", "1")), "wavelet-test");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, reduced.Data);

        var conflict = await Assert.ThrowsAsync<KubernetesException>(() => maps.ApplyAsync(Map(target, "applied", ("a", "other")), "someone-else", force: false));
        Assert.True(conflict.IsConflict);
        var forced = await maps.ApplyAsync(Map(target, "applied", ("a", "other")), "someone-else", force: true);
        Assert.Equal("other", forced.Data!["a"]);
    }

    public static async Task ListPagingAndSelectorsAsync(ClusterTarget target)
    {
        var maps = ConfigMaps(target);
        for (var i = 0; i < 5; i++)
        {
            var map = Map(target, $"page-{i}");
            map.Metadata.Labels = new() { ["wavelet.test/parity"] = i % 2 == 0 ? "even" : "odd" };
            await maps.CreateAsync(map);
        }

        var selector = new ListOptions { LabelSelector = "wavelet.test/parity" };
        var firstPage = await maps.ListAsync(target.Namespace, selector with { Limit = 2 });
        Assert.Equal(2, firstPage.Items.Count);
        Assert.False(string.IsNullOrEmpty(firstPage.Metadata.Continue));

        var all = await maps.ListAllAsync(target.Namespace, selector, pageSize: 2);
        Assert.Equal(["page-0", "page-1", "page-2", "page-3", "page-4"], all.Items.Select(m => m.Metadata.Name).Order());
        var even = await maps.ListAllAsync(target.Namespace, new ListOptions { LabelSelector = "wavelet.test/parity=even" });
        Assert.Equal(3, even.Items.Count);
    }

    public static async Task DeletionFinalizersPreconditionsAndGarbageCollectionAsync(ClusterTarget target)
    {
        var maps = ConfigMaps(target);
        var held = Map(target, "held");
        held.Metadata.Finalizers = ["wavelet.test/hold"];
        var owner = await maps.CreateAsync(held);

        var wrongUid = await Assert.ThrowsAsync<KubernetesException>(() =>
            maps.DeleteAsync(target.Namespace, "held", new DeleteOptions { Preconditions = new V1Preconditions { Uid = Guid.NewGuid().ToString() } }));
        Assert.True(wrongUid.IsConflict);

        var child = Map(target, "child");
        child.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "held", Uid = owner.Metadata.Uid! }];
        await maps.CreateAsync(child);

        Assert.True(await maps.DeleteAsync(target.Namespace, "held", new DeleteOptions { PropagationPolicy = PropagationPolicy.Background }));
        Assert.NotNull((await maps.GetAsync(target.Namespace, "held"))!.Metadata.DeletionTimestamp);

        await maps.PatchMergeAsync(target.Namespace, "held", new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } });
        await Eventually.UntilAsync(async () => await maps.GetAsync(target.Namespace, "held") is null, "the owner is gone once its finalizer is removed");
        await Eventually.UntilAsync(async () => await maps.GetAsync(target.Namespace, "child") is null, "the garbage collector removed the dependent");
    }

    public static async Task InformerFollowsChangesAsync(ClusterTarget target)
    {
        var maps = ConfigMaps(target);
        await maps.CreateAsync(Map(target, "seen-before"));
        var informer = new Informer<V1ConfigMap>(maps, target.Namespace, null, NullLogger.Instance);
        var deleted = new List<string>();
        informer.Deleted += m => { lock (deleted) { deleted.Add(m.Metadata.Name!); } };
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        try
        {
            await informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(informer.TryGet(target.Namespace, "seen-before"));

            await maps.CreateAsync(Map(target, "seen-after", ("v", "1")));
            await maps.PatchMergeAsync(target.Namespace, "seen-after", new { data = new { v = "2" } });
            await maps.DeleteAsync(target.Namespace, "seen-before");

            await Eventually.UntilAsync(() => informer.TryGet(target.Namespace, "seen-after")?.Data?["v"] == "2" && informer.TryGet(target.Namespace, "seen-before") is null, "the informer cache followed the changes");

            // handlers run right after the cache changes, so the delete notification may trail the cache by a moment
            await Eventually.UntilAsync(() => { lock (deleted) { return deleted.Contains("seen-before"); } }, "the delete handler ran");
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public static async Task LeaderElectionHandsOverOnReleaseAsync(ClusterTarget target)
    {
        using var clientA = target.NewClient();
        using var clientB = target.NewClient();
        var config = new LeaderElectionConfig { Namespace = target.Namespace, LeaseName = "conformance", Identity = "a" };
        var a = new LeaderElector(clientA, config);
        var b = new LeaderElector(clientB, config with { Identity = "b" });
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await Eventually.UntilAsync(() => a.IsLeader, "a leads");
        var runB = b.RunAsync(stopB.Token);
        await Eventually.UntilAsync(() => b.ObservedLeader == "a", "b sees a leading");
        Assert.False(b.IsLeader);

        await stopA.CancelAsync();
        await runA.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.UntilAsync(() => b.IsLeader, "b takes over right after a released the lease", TimeSpan.FromSeconds(10));

        await stopB.CancelAsync();
        await runB.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public static async Task EventsAggregateAsync(ClusterTarget target)
    {
        var owner = await ConfigMaps(target).CreateAsync(Map(target, "event-subject"));
        using var recorder = new EventRecorder(target.Client, "wavelet-test");
        for (var i = 0; i < 3; i++)
        {
            await recorder.RecordAsync(owner, EventTypes.Warning, "TestRepeated", "the same thing happened again");
        }

        var list = (await target.Client.Resource<Corev1Event>(ResourceTypes.Events).ListAsync(target.Namespace)).Items;
        var repeated = Assert.Single(list, e => e.Reason == "TestRepeated");
        Assert.Equal(3, repeated.Count);
    }

    private static ResourceClient<V1ConfigMap> ConfigMaps(ClusterTarget target) => target.Client.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps);

    private static V1ConfigMap Map(ClusterTarget target, string name, params (string Key, string Value)[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = target.Namespace },
        Data = data.Length == 0 ? null : data.ToDictionary(d => d.Key, d => d.Value),
    };
}
