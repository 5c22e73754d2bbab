using System.Collections.Concurrent;
using Wavelet.Operator.Kubernetes.Watch;

namespace Wavelet.Operator.Tests.Kubernetes;

public sealed class InformerTests : FakeClusterTestBase
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _seen = new();
    private Task? _run;

    private TestObjects<V1ConfigMap> ConfigMaps => new(Client);

    public override async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        }

        _stop.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Lists_then_follows_adds_updates_and_deletes()
    {
        await ConfigMaps.CreateAsync(ConfigMap("before"));
        var informer = await StartAsync();
        Assert.Equal("before", Assert.Single(informer.List()).Metadata.Name);

        await ConfigMaps.CreateAsync(ConfigMap("after"));
        await ConfigMaps.MergePatchAsync(Ns, "before", new { data = new { k = "v" } });
        await ConfigMaps.DeleteAsync(Ns, "after");

        await Eventually.UntilAsync(() => _seen.Count >= 4, "the informer delivered every change");
        Assert.Equal(["added before", "added after", "updated before", "deleted after"], _seen);
        Assert.Equal("v", informer.TryGet(Ns, "before")!.Data!["k"]);
        Assert.False(informer.TryGet(Ns, "after", out _));
    }

    [Fact]
    public async Task A_cut_stream_resumes_from_the_last_version_without_relisting()
    {
        var informer = await StartAsync();
        await ConfigMaps.CreateAsync(ConfigMap("a"));
        await Eventually.UntilAsync(() => informer.TryGet(Ns, "a") is not null, "a is cached");
        var versionBeforeCut = informer.LastSyncResourceVersion;

        Server.Faults.CutWatches();
        await ConfigMaps.CreateAsync(ConfigMap("b"));
        await ConfigMaps.DeleteAsync(Ns, "a");

        await EventuallyWithClockAsync(() => informer.TryGet(Ns, "b") is not null && informer.TryGet(Ns, "a") is null, TimeSpan.FromMilliseconds(200), "the cache caught up after the cut");
        await Eventually.UntilAsync(() => _seen.Count >= 3, "the handlers ran for every change"); // they run just after the cache changes
        Assert.Equal(1, informer.ListCount);
        Assert.Contains(Server.Requests.All, r => r.IsWatch && r.QueryValue("resourceVersion") == versionBeforeCut);
        Assert.Equal(["added a", "added b", "deleted a"], _seen);
    }

    [Fact]
    public async Task A_watch_that_ends_with_an_empty_body_is_a_normal_end_and_is_watched_again_at_once()
    {
        var informer = await StartAsync();
        var version = informer.LastSyncResourceVersion;
        Clock.Advance(TimeSpan.FromSeconds(5)); // an idle watch, as when the server's timeoutSeconds runs out

        // The server closes the stream before sending a line: KubernetesClient raises HttpRequestException for that.
        Server.Faults.CutWatches();

        // No error backoff: the fake clock stands still, so only an immediate re-watch can get here.
        await Eventually.UntilAsync(() => Server.Requests.Count(r => r.IsWatch) == 2 && Server.OpenWatchCount == 1, "the informer watched again");
        Assert.All(Server.Requests.All.Where(r => r.IsWatch), r => Assert.Equal(version, r.QueryValue("resourceVersion")));
        Assert.Equal(1, informer.ListCount);

        await ConfigMaps.CreateAsync(ConfigMap("after-the-idle-watch"));
        await Eventually.UntilAsync(() => informer.TryGet(Ns, "after-the-idle-watch") is not null, "the new watch delivers events");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_expired_version_relists_and_reports_deletes_missed_while_disconnected(bool asHttpStatus)
    {
        Server.ExpiredWatchAsHttpGone = asHttpStatus;
        await ConfigMaps.CreateAsync(ConfigMap("stays"));
        await ConfigMaps.CreateAsync(ConfigMap("vanishes"));
        var informer = await StartAsync();

        // hold the informer disconnected: its next watch fails and it backs off on the (fake) clock
        Server.Faults.FailNext(1, 503, "apiserver restarting", match: r => r.IsWatch);
        Server.Faults.CutWatches();
        await EventuallyWithClockAsync(() => Server.Requests.Count(r => r.Faulted) == 1, TimeSpan.FromMilliseconds(100), "the informer tried to re-watch");

        Server.DeleteObject("v1", "configmaps", Ns, "vanishes");
        await ConfigMaps.CreateAsync(ConfigMap("appears"));
        Server.Faults.ExpireHistory();

        await EventuallyWithClockAsync(() => informer.ListCount == 2 && informer.TryGet(Ns, "vanishes") is null, TimeSpan.FromMilliseconds(200), "the informer relisted");
        Assert.Equal(["appears", "stays"], informer.List().Select(c => c.Metadata.Name).Order());
        await Eventually.UntilAsync(() => _seen.Contains("deleted vanishes") && _seen.Contains("added appears"), "the relist delivered the missed delete and add");
        Assert.Equal(2, Server.Requests.Count(r => r.Method == "GET" && !r.IsWatch && r.Path.EndsWith("/configmaps", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Bookmarks_advance_the_version_the_next_watch_starts_from()
    {
        var informer = await StartAsync();
        await new TestObjects<V1Secret>(Client).CreateAsync(new V1Secret { Metadata = new() { Name = "unrelated", NamespaceProperty = Ns } });
        var current = Server.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(current, informer.LastSyncResourceVersion);

        Server.SendBookmarks();
        await Eventually.UntilAsync(() => informer.LastSyncResourceVersion == current, "the bookmark moved the informer's version");

        Server.Faults.CutWatches();
        await EventuallyWithClockAsync(() => Server.Requests.All.Any(r => r.IsWatch && r.QueryValue("resourceVersion") == current), TimeSpan.FromMilliseconds(200), "the informer re-watched from the bookmark");
        Assert.Equal(1, informer.ListCount);
        Assert.Contains(Server.Requests.All, r => r.IsWatch && r.QueryValue("allowWatchBookmarks") == "true");
    }

    [Fact]
    public async Task Namespace_and_label_selector_scope_the_cache()
    {
        var inScope = ConfigMap("mine");
        inScope.Metadata.Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "wavelet-operator" };
        await ConfigMaps.CreateAsync(inScope);
        await ConfigMaps.CreateAsync(ConfigMap("unlabelled"));
        var elsewhere = ConfigMap("other-ns");
        elsewhere.Metadata.NamespaceProperty = "team-b";
        elsewhere.Metadata.Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "wavelet-operator" };
        await ConfigMaps.CreateAsync(elsewhere);

        var informer = await StartAsync("app.kubernetes.io/managed-by=wavelet-operator");
        Assert.Equal("mine", Assert.Single(informer.List()).Metadata.Name);

        // relabelling moves an object out of the selector: the informer sees it as deleted
        await ConfigMaps.MergePatchAsync(Ns, "mine", new { metadata = new { labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "someone" } } });
        await Eventually.UntilAsync(() => informer.List().Count == 0, "the relabelled object left the cache");
        Assert.Contains(Server.Requests.All, r => r.IsWatch && r.QueryValue("labelSelector") == "app.kubernetes.io/managed-by=wavelet-operator" && r.Path.Contains("/namespaces/team-a/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_timeout_is_random_between_five_and_ten_minutes()
    {
        await StartAsync();
        var timeout = int.Parse(Server.Requests.All.First(r => r.IsWatch).QueryValue("timeoutSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timeout, 300, 600);
    }

    [Fact]
    public void Backoff_doubles_from_800ms_to_30s_and_resets_after_two_healthy_minutes()
    {
        var backoff = new ReflectorBackoff();
        var now = Clock.GetUtcNow();
        var delays = Enumerable.Range(0, 8).Select(_ => backoff.NextDelay(now).TotalMilliseconds).ToList();
        Assert.Equal([800, 1600, 3200, 6400, 12800, 25600, 30000, 30000], delays);
        Assert.Equal(TimeSpan.FromMilliseconds(800), backoff.NextDelay(now + TimeSpan.FromMinutes(2)));
    }

    private async Task<Informer<V1ConfigMap>> StartAsync(string? labelSelector = null)
    {
        var informer = new Informer<V1ConfigMap>(Client, Ns, labelSelector, NullLogger.Instance, Clock, new Random(7));
        informer.Added += c => _seen.Enqueue($"added {c.Metadata.Name}");
        informer.Updated += (_, c) => _seen.Enqueue($"updated {c.Metadata.Name}");
        informer.Deleted += c => _seen.Enqueue($"deleted {c.Metadata.Name}");
        _run = informer.RunAsync(_stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await Eventually.UntilAsync(() => Server.OpenWatchCount == 1, "the informer is watching");
        return informer;
    }

    private static V1ConfigMap ConfigMap(string name) => new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns } };
}
