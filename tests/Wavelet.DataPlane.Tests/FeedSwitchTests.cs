using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.Feed;
using Wavelet.DataPlane.Observability;
using Wavelet.DataPlane.State;
using Wavelet.Testing;

namespace Wavelet.DataPlane.Tests;

/// <summary>
/// A query whose SQL changes keeps its hub and subscribers while a new feed replaces the old one. The old feed is stopped
/// without waiting, so it can still yield an event it had fetched (the soak's duplicates, #18): nothing of the old
/// definition may reach the new one's state or subscribers, and no cursor of the old definition may resume.
/// </summary>
public sealed class FeedSwitchTests : IAsyncDisposable
{
    private static readonly string[] Columns = ["id", "v"];
    private readonly ScriptedSource _source = new();
    private readonly DataPlaneMetrics _metrics = new();
    private readonly ConfigHolder _holder;
    private readonly FeedSupervisor _supervisor;

    public FeedSwitchTests()
    {
        _holder = new ConfigHolder(Config("sub_a", "a"));
        _supervisor = new FeedSupervisor(_source, _holder, _metrics, NullLogger<FeedSupervisor>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _source.CompleteAll();
        await _supervisor.DisposeAsync();
        _metrics.Dispose();
    }

    [Fact]
    public async Task An_event_the_replaced_feed_yields_after_the_switch_reaches_no_subscriber_and_not_the_state()
    {
        _supervisor.Apply(Config("sub_a", "a"));
        await _source.WriteAsync("sub_a", new SnapshotEvent([Row("a1", 0)]));
        var hub = _holder.Live.Hub("q")!;
        await Eventually.UntilAsync(() => hub.Ready, "the first snapshot is applied");
        var sink = Subscribe(hub, cursor: null);

        _supervisor.Apply(Config("sub_b", "b"));
        await _source.WriteAsync("sub_b", new SnapshotEvent([Row("b1", 1)]));
        await Eventually.UntilAsync(() => sink.Types().Count(t => t == "snapshot") == 2, "the new definition's snapshot arrives");
        await _source.WriteAsync("sub_a", new EpochEvent(100, [new Change(RowOp.Insert, Row("a2", 0))])); // fetched before the stop
        await _source.WriteAsync("sub_b", new EpochEvent(101, [new Change(RowOp.Insert, Row("b2", 1))]));
        await Eventually.UntilAsync(() => sink.Cursors().Contains("101"), "the new feed's epoch arrives");

        Assert.Equal(["101"], sink.Cursors());
        Assert.Equal(["b1", "b2"], hub.Rows(Partitions.All).Select(r => (string)r["id"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_cursor_of_the_old_definition_gets_a_snapshot_even_when_the_new_one_has_an_epoch_of_the_same_number()
    {
        _supervisor.Apply(Config("sub_a", "a"));
        await _source.WriteAsync("sub_a", new SnapshotEvent([Row("a1", 0)]));
        await _source.WriteAsync("sub_a", new EpochEvent(60, [new Change(RowOp.Insert, Row("a2", 0))]));
        var hub = _holder.Live.Hub("q")!;
        await Eventually.UntilAsync(() => hub.LastEpoch == 60, "the old feed's epoch 60 is applied");

        // Both subscriptions are diffed by the same barriers, so the new feed's first epoch can carry the same number.
        _supervisor.Apply(Config("sub_b", "b"));
        await _source.WriteAsync("sub_b", new SnapshotEvent([Row("b1", 1)]));
        await _source.WriteAsync("sub_b", new EpochEvent(60, [new Change(RowOp.Insert, Row("b2", 1))]));
        await Eventually.UntilAsync(() => hub.Rows(Partitions.All).Any(r => (string)r["id"]! == "b2"), "the new feed's epoch 60 is applied");
        var sink = Subscribe(hub, cursor: 60);

        await Eventually.UntilAsync(() => sink.Types().Count >= 2, "connected and the first message arrive");
        Assert.Equal(["connected", "snapshot"], sink.Types());
    }

    private RecordingSink Subscribe(QueryHub hub, long? cursor)
    {
        var sink = new RecordingSink();
        var subscriber = new Subscriber(Partitions.All, long.MaxValue);
        hub.Register(subscriber, cursor);
        subscriber.Attach(sink, _metrics.SendCountersOf("q"));
        return sink;
    }

    private static DataPlaneConfig Config(string subscription, string specHash) => new()
    {
        Database = new DatabaseConfig { Schema = "app" },
        Queries = [new QueryConfig { Name = "q", Subscription = subscription, SpecHash = specHash }],
    };

    private static Row Row(string id, int v) => new(Columns, [id, v]);

    /// <summary>One channel per subscription; a feed yields what its channel holds whether or not it was stopped.</summary>
    private sealed class ScriptedSource : IChangeSource
    {
        private readonly Dictionary<string, Channel<FeedEvent>> _channels = new(StringComparer.Ordinal);

        public ValueTask WriteAsync(string subscription, FeedEvent change) => Channel(subscription).Writer.WriteAsync(change);

        public void CompleteAll()
        {
            lock (_channels)
            {
                foreach (var channel in _channels.Values)
                {
                    channel.Writer.TryComplete();
                }
            }
        }

        public async IAsyncEnumerable<FeedEvent> FollowAsync(string schema, QueryConfig query, ValueShape shape, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var change in Channel(query.Subscription).Reader.ReadAllAsync(CancellationToken.None))
            {
                yield return change;
            }
        }

        private Channel<FeedEvent> Channel(string subscription)
        {
            lock (_channels)
            {
                if (!_channels.TryGetValue(subscription, out var channel))
                {
                    channel = System.Threading.Channels.Channel.CreateUnbounded<FeedEvent>();
                    _channels[subscription] = channel;
                }

                return channel;
            }
        }
    }

    private sealed class RecordingSink : IFrameSink
    {
        private readonly Lock _gate = new();
        private readonly List<JsonElement> _messages = [];

        public List<string> Types() => Read(m => m.GetProperty("type").GetString()!);

        public List<string> Cursors() => [.. Read(m => m.TryGetProperty("cursor", out var c) ? c.GetString()! : "").Where(c => c.Length > 0)];

        public ValueTask WriteAsync(List<byte[]> frames, long bytes, Subscriber owner, CancellationToken ct)
        {
            lock (_gate)
            {
                _messages.AddRange(frames.Select(f => JsonDocument.Parse(Encoding.UTF8.GetString(WebSocketFrame.Payload(f).Span)).RootElement.Clone()));
            }

            return ValueTask.CompletedTask;
        }

        private List<string> Read(Func<JsonElement, string> select)
        {
            lock (_gate)
            {
                return [.. _messages.Select(select)];
            }
        }
    }
}
