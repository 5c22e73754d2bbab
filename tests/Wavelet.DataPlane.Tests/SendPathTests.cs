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

    [Fact]
    public async Task A_slow_snapshot_does_not_delay_the_feed_or_other_clients_diffs()
    {
        using var metrics = new DataPlaneMetrics();
        var hub = new QueryHub("q", "tenant", resumeEpochs: 4, metrics);
        hub.ApplySnapshot([Row("a", "old")]);
        var otherSink = new GatedSink();
        otherSink.Open();
        var other = new Subscriber(Partitions.Of(["a"]), long.MaxValue);
        hub.Register(other, cursor: null);
        other.Attach(otherSink, hub.Metrics.SendCountersOf("q"));

        // The snapshot metric is recorded on the connecting thread just before its snapshot is serialised: holding that
        // thread there stands in for serialising a very large snapshot.
        var slowThread = 0;
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "wavelet_snapshots_served_total")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) =>
        {
            if (Environment.CurrentManagedThreadId == Volatile.Read(ref slowThread))
            {
                serving.TrySetResult();
                release.Wait(TimeSpan.FromSeconds(30));
            }
        });
        listener.Start();

        var slowSink = new GatedSink();
        slowSink.Open();
        var slow = new Subscriber(Partitions.Of(["a"]), long.MaxValue);
        var connecting = Task.Factory.StartNew(
            () =>
            {
                Volatile.Write(ref slowThread, Environment.CurrentManagedThreadId);
                hub.Register(slow, cursor: null);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        await serving.Task.WaitAsync(TimeSpan.FromSeconds(20));

        try
        {
            // While that snapshot is being served, the feed applies an epoch and the other client gets its diff.
            await Task.Run(() => hub.ApplyEpoch(7, [new Change(RowOp.Insert, Row("a", "new"))])).WaitAsync(TimeSpan.FromSeconds(10));
            await Eventually.UntilAsync(() => otherSink.Payloads.Count == 3, "the other client's diff arrives during the slow snapshot");
            Assert.False(connecting.IsCompleted);
        }
        finally
        {
            release.Set();
        }

        await connecting.WaitAsync(TimeSpan.FromSeconds(20));
        slow.Attach(slowSink, hub.Metrics.SendCountersOf("q"));
        await Eventually.UntilAsync(() => slowSink.Payloads.Count == 3, "the slow client gets its snapshot, then the diff queued behind it");
        Assert.Equal(["connected", "snapshot", "diff"], slowSink.Payloads.Select(p => JsonDocument.Parse(p).RootElement.GetProperty("type").GetString()));
        Assert.Contains("new", slowSink.Payloads[2], StringComparison.Ordinal);
        Assert.DoesNotContain("new", slowSink.Payloads[1], StringComparison.Ordinal); // taken before the epoch: no duplicate
    }

    [Fact]
    public void The_last_epoch_read_without_the_lock_is_one_64_bit_field_so_it_cannot_tear()
    {
        // A long? is a flag and a value: read while the feed writes it, it can be seen half-written.
        var fields = typeof(QueryHub).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public);
        Assert.DoesNotContain(fields, f => f.FieldType == typeof(long?));

        using var metrics = new DataPlaneMetrics();
        var hub = new QueryHub("q", null, resumeEpochs: 4, metrics);
        Assert.Null(hub.LastEpoch);
        hub.ApplySnapshot([]);
        hub.ApplyEpoch(long.MinValue + 1, []);
        Assert.Equal(long.MinValue + 1, hub.LastEpoch);
    }

    [Fact]
    public void Leaving_subscribers_are_removed_one_by_one_without_a_scan_and_the_rest_stay_registered()
    {
        using var metrics = new DataPlaneMetrics();
        var hub = new QueryHub("q", "tenant", resumeEpochs: 4, metrics);
        hub.ApplySnapshot([]);
        var subscribers = Enumerable.Range(0, 200).Select(_ => new Subscriber(Partitions.Of(["a"]), long.MaxValue)).ToList();
        foreach (var subscriber in subscribers)
        {
            hub.Register(subscriber, cursor: null);
        }

        // Closed but not yet unregistered: an epoch does not prune them (only the leaving connection does, in O(1)).
        var leaving = subscribers.Where((_, i) => i % 3 == 0).ToList();
        foreach (var subscriber in leaving)
        {
            subscriber.Close(CloseCodes.ShuttingDown, "bye");
        }

        hub.ApplyEpoch(1, [new Change(RowOp.Insert, Row("a", "x"))]);
        Assert.Equal(200, hub.SubscriberCount);

        foreach (var subscriber in Enumerable.Reverse(leaving))
        {
            hub.Unregister(subscriber);
        }

        Assert.Equal(200 - leaving.Count, hub.SubscriberCount);
        Assert.All(subscribers.Except(leaving), s => Assert.NotNull(s.Cohort));
        Assert.All(leaving, s => Assert.Null(s.Cohort));
        foreach (var subscriber in subscribers.Except(leaving))
        {
            hub.Unregister(subscriber); // every index left behind by the swaps is still right
        }

        Assert.Equal(0, hub.SubscriberCount);
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
