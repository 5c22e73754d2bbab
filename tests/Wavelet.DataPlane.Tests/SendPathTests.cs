namespace Wavelet.DataPlane.Tests;

/// <summary>The pre-framed send path without a server: framing, batching behind a slow write, order, O(1) unregistration.</summary>
public sealed class SendPathTests
{
    private static readonly string[] Columns = ["tenant", "item"];

    [Theory]
    [InlineData(0, 2)]
    [InlineData(125, 2)]
    [InlineData(126, 4)]
    [InlineData(65_535, 4)]
    [InlineData(65_536, 10)]
    public void A_frame_is_a_final_unmasked_text_frame_with_the_shortest_length(int length, int header)
    {
        var payload = Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26))).ToArray();
        var frame = WebSocketFrame.Text(payload);

        Assert.Equal(header + length, frame.Length);
        Assert.Equal(0x81, frame[0]); // FIN, text
        Assert.Equal(0, frame[1] & 0x80); // server frames are not masked
        Assert.Equal(payload, WebSocketFrame.Payload(frame).ToArray());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(300)]
    [InlineData(70_000)]
    public async Task A_pre_built_frame_is_byte_for_byte_what_the_websocket_sends_for_the_same_message(int length)
    {
        var payload = Encoding.UTF8.GetBytes(new string('x', length));
        using var wire = new MemoryStream();
        using var socket = System.Net.WebSockets.WebSocket.CreateFromStream(wire, isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);

        // The fallback sink sends through the WebSocket: what lands on the stream is the framework's own framing.
        var frame = WebSocketFrame.Text(payload);
        await new Web.WebSocketFrameSink(socket).WriteAsync([frame], frame.Length, new Subscriber(Partitions.All, long.MaxValue), CancellationToken.None);

        Assert.Equal(frame, wire.ToArray());
    }

    [Fact]
    public async Task Frames_queued_behind_a_slow_write_go_out_in_one_batch_in_order()
    {
        var sink = new GatedSink();
        var subscriber = new Subscriber(Partitions.All, long.MaxValue);
        using var metrics = new DataPlaneMetrics();
        subscriber.Attach(sink, metrics.SendCountersOf("q"));

        subscriber.Enqueue(Frame("m0"));
        await Eventually.UntilAsync(() => sink.Writes == 1, "the first frame is being written");
        for (var i = 1; i <= 100; i++)
        {
            Assert.Equal(EnqueueResult.Queued, subscriber.Enqueue(Frame($"m{i}")));
        }

        sink.Open();
        await Eventually.UntilAsync(() => subscriber.QueuedBytes == 0, "every queued frame is written");

        Assert.Equal(2, sink.Writes); // the 100 frames that waited went out together
        Assert.Equal(Enumerable.Range(0, 101).Select(i => $"m{i}"), sink.Payloads);
        Assert.Equal(101, PrometheusText.Parse(await metrics.Exposition.RenderAsync(CancellationToken.None)).Sum("wavelet_messages_sent_total", ("query", "q")));
    }

    [Fact]
    public async Task A_closed_subscriber_writes_nothing_more_and_drops_its_queue()
    {
        var sink = new GatedSink();
        var subscriber = new Subscriber(Partitions.All, long.MaxValue);
        using var metrics = new DataPlaneMetrics();
        subscriber.Attach(sink, metrics.SendCountersOf("q"));
        subscriber.Enqueue(Frame("first"));
        await Eventually.UntilAsync(() => sink.Writes == 1, "the first frame is being written");
        subscriber.Enqueue(Frame("dropped"));

        subscriber.Close(CloseCodes.ShuttingDown, "bye");
        sink.Open();

        await Eventually.UntilAsync(() => subscriber.QueuedBytes == 0, "the write in flight ends");
        Assert.Equal(1, sink.Writes); // the queued frame was dropped, not written
        Assert.Empty(sink.Payloads); // the write in flight saw the close before writing
        Assert.Equal(EnqueueResult.Closed, subscriber.Enqueue(Frame("late")));
        Assert.True(subscriber.Closed.IsCompleted);
    }

    [Fact]
    public async Task A_subscriber_gets_connected_then_its_snapshot_then_live_diffs_and_leaves_its_cohort_in_place()
    {
        using var metrics = new DataPlaneMetrics();
        var hub = new QueryHub("q", "tenant", resumeEpochs: 4, metrics);
        hub.ApplySnapshot([Row("a", "old")]);
        var sinks = new List<GatedSink>();
        var subscribers = new List<Subscriber>();
        for (var i = 0; i < 3; i++)
        {
            var sink = new GatedSink();
            sink.Open();
            var subscriber = new Subscriber(Partitions.Of(["a"]), long.MaxValue);
            hub.Register(subscriber, cursor: null);
            subscriber.Attach(sink, hub.Metrics.SendCountersOf("q"));
            sinks.Add(sink);
            subscribers.Add(subscriber);
        }

        hub.Unregister(subscribers[0]);
        hub.Unregister(subscribers[0]); // a second unregistration (e.g. after CloseAll) is a no-op
        Assert.Equal(2, hub.SubscriberCount);
        hub.ApplyEpoch(7, [new Change(RowOp.Insert, Row("a", "new"))]);

        foreach (var (sink, subscriber) in sinks.Zip(subscribers).Skip(1))
        {
            await Eventually.UntilAsync(() => sink.Payloads.Count == 3, "connected, snapshot and the diff arrive");
            Assert.Equal(["connected", "snapshot", "diff"], sink.Payloads.Select(p => JsonDocument.Parse(p).RootElement.GetProperty("type").GetString()));
        }

        Assert.Equal(2, sinks[0].Payloads.Count); // the unregistered subscriber got its connect and snapshot only
        Assert.Equal(7, hub.LastEpoch);
    }

    private static byte[] Frame(string text) => WebSocketFrame.Text(Encoding.UTF8.GetBytes(text));

    private static Row Row(string tenant, string item) => new(Columns, [tenant, item]);

    /// <summary>A sink whose writes wait until it is opened; it records each write and every payload in order.</summary>
    private sealed class GatedSink : IFrameSink
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private readonly List<string> _payloads = [];
        private int _writes;

        public int Writes => Volatile.Read(ref _writes);

        public List<string> Payloads
        {
            get
            {
                lock (_gate)
                {
                    return [.. _payloads];
                }
            }
        }

        public void Open() => _open.TrySetResult();

        public async ValueTask WriteAsync(List<byte[]> frames, long bytes, Subscriber owner, CancellationToken ct)
        {
            Interlocked.Increment(ref _writes);
            await _open.Task;
            if (owner.IsClosed)
            {
                return;
            }

            lock (_gate)
            {
                _payloads.AddRange(frames.Select(f => Encoding.UTF8.GetString(WebSocketFrame.Payload(f).Span)));
            }
        }
    }
}
