namespace Wavelet.Operator.Tests.Kubernetes.Conformance;

/// <summary>The conformance scenarios against the fake API server (always run).</summary>
public sealed class FakeClusterConformanceTests : IAsyncLifetime
{
    private readonly ClusterTarget _target = ClusterTarget.Fake();

    public Task InitializeAsync() => _target.InitializeAsync();

    public Task DisposeAsync() => _target.DisposeAsync();

    [Fact]
    public Task Server_side_apply_owns_fields() => ClientScenarios.ServerSideApplyOwnsFieldsAsync(_target);

    [Fact]
    public Task Informer_follows_changes() => ClientScenarios.InformerFollowsChangesAsync(_target);

    [Fact]
    public Task Leader_election_hands_over_on_release() => ClientScenarios.LeaderElectionHandsOverOnReleaseAsync(_target);

    [Fact]
    public Task Events_aggregate() => ClientScenarios.EventsAggregateAsync(_target);
}
