using Microsoft.Extensions.Time.Testing;
using Wavelet.Testing.Kubernetes;

namespace Wavelet.Testing.Tests.Kubernetes;

/// <summary>Watch streams: periodic bookmarks when asked for, and the watch-list form (sendInitialEvents).</summary>
public sealed class WatchTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));
    private FakeKubernetesApiServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync();
        _server.Time = _clock;
        _server.BookmarkInterval = TimeSpan.FromSeconds(30);
        _http = new HttpClient { BaseAddress = new Uri(_server.Url) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Bookmarks_arrive_every_interval_on_watches_that_allow_them()
    {
        var version = _server.CurrentResourceVersion;
        using var watch = await OpenAsync($"/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion={version}");
        using var plain = await OpenAsync($"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={version}");
        await Eventually.UntilAsync(() => _server.OpenWatchCount == 2, "both watches are open");

        _clock.Advance(TimeSpan.FromSeconds(30));
        var bookmark = await watch.NextAsync();
        Assert.Equal("BOOKMARK", bookmark["type"]!.GetValue<string>());
        Assert.Equal(version.ToString(System.Globalization.CultureInfo.InvariantCulture), bookmark["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());

        _server.PutObject("v1", "configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "c", ["namespace"] = "default" } });
        Assert.Equal("ADDED", (await plain.NextAsync())["type"]!.GetValue<string>()); // no bookmark came before the event
        Assert.Equal("ADDED", (await watch.NextAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_watch_list_sends_the_current_objects_then_the_initial_events_end_bookmark()
    {
        _server.PutObject("v1", "configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "a", ["namespace"] = "default" } });
        using var watch = await OpenAsync("/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan");
        var added = await watch.NextAsync();
        Assert.Equal(("ADDED", "a"), (added["type"]!.GetValue<string>(), added["object"]!["metadata"]!["name"]!.GetValue<string>()));
        var end = await watch.NextAsync();
        Assert.Equal("BOOKMARK", end["type"]!.GetValue<string>());
        Assert.Equal("true", end["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());

        var refused = await _http.GetAsync(new Uri("/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true", UriKind.Relative));
        Assert.Equal(422, (int)refused.StatusCode);
    }

    private async Task<WatchStream> OpenAsync(string path)
    {
        var response = await _http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new WatchStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    private sealed class WatchStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public async Task<JsonNode> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the watch ended");
            return JsonNode.Parse(line)!;
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
