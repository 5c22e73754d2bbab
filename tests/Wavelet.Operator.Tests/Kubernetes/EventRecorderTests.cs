using Wavelet.Operator.Kubernetes.Events;

namespace Wavelet.Operator.Tests.Kubernetes;

public sealed class EventRecorderTests : FakeClusterTestBase
{
    [Fact]
    public async Task Repeats_bump_the_count_instead_of_creating_new_events()
    {
        var project = await new TestObjects<WaveletProject>(Client).CreateAsync(new WaveletProject { Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = Ns } });
        var recorder = new EventRecorder(Client, "wavelet-operator", "pod-a", null, Clock);

        await recorder.RecordAsync(project, EventTypes.Warning, "DdlFailed", "relation \"orders\" does not exist");
        Clock.Advance(TimeSpan.FromSeconds(30));
        await recorder.RecordAsync(project, EventTypes.Warning, "DdlFailed", "relation \"orders\" does not exist");
        await recorder.RecordAsync(project, EventTypes.Warning, "DdlFailed", "relation \"orders\" does not exist");
        await recorder.RecordAsync(project, EventTypes.Normal, "DdlApplied", "created 2 tables");

        var events = await new TestObjects<Corev1Event>(Client).ListAsync(Ns);
        Assert.Equal(2, events.Count);
        var failed = Assert.Single(events, e => e.Reason == "DdlFailed");
        Assert.Equal(3, failed.Count);
        Assert.Equal(EventTypes.Warning, failed.Type);
        Assert.Equal(failed.FirstTimestamp!.Value.AddSeconds(30), failed.LastTimestamp);
        Assert.Equal("WaveletProject", failed.InvolvedObject.Kind);
        Assert.Equal(project.Metadata.Uid, failed.InvolvedObject.Uid);
        Assert.Equal(Ns, failed.InvolvedObject.NamespaceProperty);
        Assert.Equal("wavelet-operator", failed.Source!.Component);
        Assert.Equal("wavelet-operator", failed.ReportingComponent);
        Assert.StartsWith("shop.", failed.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(events, e => e.Reason == "DdlApplied").Count);

        var raw = Server.GetObject("v1", "events", Ns, failed.Metadata.Name!)!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", raw["firstTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_expired_event_is_created_again_and_api_failures_are_not_thrown()
    {
        var project = new WaveletProject { Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = Ns, Uid = "u1" } };
        var recorder = new EventRecorder(Client, "wavelet-operator", null, null, Clock);
        var events = new TestObjects<Corev1Event>(Client);

        await recorder.RecordAsync(project, EventTypes.Normal, "Synced", "ok");
        var first = Assert.Single(await events.ListAsync(Ns));
        await events.DeleteAsync(Ns, first.Metadata.Name!);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await recorder.RecordAsync(project, EventTypes.Normal, "Synced", "ok");
        Assert.Equal(1, Assert.Single(await events.ListAsync(Ns)).Count);

        await recorder.RecordAsync(project, EventTypes.Warning, "SameInstant", "a second event in the same clock tick gets its own name");
        Assert.Equal(2, (await events.ListAsync(Ns)).Count);

        Server.Faults.FailNext(1, 403, "events is forbidden");
        await recorder.RecordAsync(project, EventTypes.Normal, "Other", "not recorded, not thrown");
        await Assert.ThrowsAsync<ArgumentException>(() => recorder.RecordAsync(project, "Info", "X", "bad type"));
    }

    [Fact]
    public async Task A_slow_event_write_does_not_hold_up_other_events()
    {
        var project = new WaveletProject { Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = Ns, Uid = "u1" } };
        var held = new HoldEventsHandler("SlowToWrite");
        using var client = new k8s.Kubernetes(Server.CreateClientConfiguration(), held);
        var recorder = new EventRecorder(client, "wavelet-operator", null, null, Clock);

        var slow = recorder.RecordAsync(project, EventTypes.Warning, "SlowToWrite", "its API call hangs");
        await held.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await recorder.RecordAsync(project, EventTypes.Normal, "Quick", "recorded while the other call hangs").WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(slow.IsCompleted);

        held.Release.SetResult();
        await slow;
        Assert.Equal(["Quick", "SlowToWrite"], (await new TestObjects<Corev1Event>(Client).ListAsync(Ns)).Select(e => e.Reason).Order());
    }

    /// <summary>Holds the creation of Events with the given reason until <see cref="Release"/> is set.</summary>
    private sealed class HoldEventsHandler(string reason) : DelegatingHandler
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.Content is not null && (await request.Content.ReadAsStringAsync(cancellationToken)).Contains($"\"{reason}\"", StringComparison.Ordinal))
            {
                Entered.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
