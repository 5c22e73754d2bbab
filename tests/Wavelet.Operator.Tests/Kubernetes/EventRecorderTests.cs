using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Kubernetes;

namespace Wavelet.Operator.Tests.Kubernetes;

public sealed class EventRecorderTests : FakeClusterTestBase
{
    [Fact]
    public async Task Repeats_bump_the_count_instead_of_creating_new_events()
    {
        var project = await Client.Resource<WaveletProject>(ResourceTypes.WaveletProjects).CreateAsync(new WaveletProject { Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = Ns } });
        using var recorder = new EventRecorder(Client, "wavelet-operator", "pod-a", null, Clock);

        await recorder.RecordAsync(project, EventTypes.Warning, "DdlFailed", "relation \"orders\" does not exist");
        Clock.Advance(TimeSpan.FromSeconds(30));
        await recorder.RecordAsync(project, EventTypes.Warning, "DdlFailed", "relation \"orders\" does not exist");
        await recorder.RecordAsync(project, EventTypes.Warning, "DdlFailed", "relation \"orders\" does not exist");
        await recorder.RecordAsync(project, EventTypes.Normal, "DdlApplied", "created 2 tables");

        var events = (await Client.Resource<Corev1Event>(ResourceTypes.Events).ListAsync(Ns)).Items;
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
        using var recorder = new EventRecorder(Client, "wavelet-operator", null, null, Clock);
        var events = Client.Resource<Corev1Event>(ResourceTypes.Events);

        await recorder.RecordAsync(project, EventTypes.Normal, "Synced", "ok");
        var first = Assert.Single((await events.ListAsync(Ns)).Items);
        await events.DeleteAsync(Ns, first.Metadata.Name!);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await recorder.RecordAsync(project, EventTypes.Normal, "Synced", "ok");
        Assert.Equal(1, Assert.Single((await events.ListAsync(Ns)).Items).Count);

        await recorder.RecordAsync(project, EventTypes.Warning, "SameInstant", "a second event in the same clock tick gets its own name");
        Assert.Equal(2, (await events.ListAsync(Ns)).Items.Count);

        Server.Faults.FailNext(1, 403, "events is forbidden");
        await recorder.RecordAsync(project, EventTypes.Normal, "Other", "not recorded, not thrown");
        await Assert.ThrowsAsync<ArgumentException>(() => recorder.RecordAsync(project, "Info", "X", "bad type"));
    }
}
