using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Wavelet.Operator.Kubernetes.Events;
using Wavelet.Operator.Kubernetes.Watch;
using LeaderElector = Wavelet.Operator.Kubernetes.LeaderElection.LeaderElector;

namespace Wavelet.Operator.Tests.Kubernetes.Conformance;

/// <summary>
/// The operator's own Kubernetes pieces, on KubernetesClient, against the fake server and a real cluster alike:
/// server-side apply, the informer, leader election and event aggregation. Every wait is an Eventually (a real
/// cluster's watches are asynchronous).
/// </summary>
internal static class ClientScenarios
{
    public static async Task ServerSideApplyOwnsFieldsAsync(ClusterTarget target)
    {
        var maps = new ResourceApi<V1ConfigMap>(target.Client);
        var applied = await maps.ApplyAsync(Map(target, "applied", ("a", "1"), ("b", "2")), "wavelet-test", force: true, CancellationToken.None);
        Assert.Equal(2, applied.Data.Count);
        var reduced = await maps.ApplyAsync(Map(target, "applied", ("a", "1")), "wavelet-test", force: true, CancellationToken.None);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, reduced.Data);

        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => maps.ApplyAsync(Map(target, "applied", ("a", "other")), "someone-else", force: false, CancellationToken.None));
        Assert.True(conflict.IsConflict());
        var forced = await maps.ApplyAsync(Map(target, "applied", ("a", "other")), "someone-else", force: true, CancellationToken.None);
        Assert.Equal("other", forced.Data["a"]);
    }

    public static async Task InformerFollowsChangesAsync(ClusterTarget target)
    {
        var maps = new TestObjects<V1ConfigMap>(target.Client);
        await maps.CreateAsync(Map(target, "seen-before"));
        var informer = new Informer<V1ConfigMap>(target.Client, target.Namespace, null, NullLogger.Instance);
        var deleted = new List<string>();
        informer.Deleted += m => { lock (deleted) { deleted.Add(m.Metadata.Name!); } };
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        try
        {
            await informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(informer.TryGet(target.Namespace, "seen-before"));

            await maps.CreateAsync(Map(target, "seen-after", ("v", "1")));
            await maps.MergePatchAsync(target.Namespace, "seen-after", new { data = new { v = "2" } });
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
        var a = new LeaderElector(new LeaderElectionConfig(new LeaseLock(clientA, target.Namespace, "conformance", "a")));
        var b = new LeaderElector(new LeaderElectionConfig(new LeaseLock(clientB, target.Namespace, "conformance", "b")));
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
        var owner = await new TestObjects<V1ConfigMap>(target.Client).CreateAsync(Map(target, "event-subject"));
        var recorder = new EventRecorder(target.Client, "wavelet-test");
        for (var i = 0; i < 3; i++)
        {
            await recorder.RecordAsync(owner, EventTypes.Warning, "TestRepeated", "the same thing happened again");
        }

        var repeated = Assert.Single(await new TestObjects<Corev1Event>(target.Client).ListAsync(target.Namespace), e => e.Reason == "TestRepeated");
        Assert.Equal(3, repeated.Count);
    }

    private static V1ConfigMap Map(ClusterTarget target, string name, params (string Key, string Value)[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = target.Namespace },
        Data = data.Length == 0 ? null : data.ToDictionary(d => d.Key, d => d.Value),
    };
}
