namespace Wavelet.Operator.Tests.Kubernetes.Conformance;

/// <summary>The conformance scenarios against a real cluster, when WAVELET_TEST_KUBECONFIG is set (skipped with how-to otherwise).</summary>
public sealed class RealClusterConformanceTests : IAsyncLifetime
{
    private readonly ClusterTarget _target = ClusterTarget.Real();

    private static bool Enabled => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ClusterTarget.KubeconfigVariable));

    public Task InitializeAsync() => Enabled ? _target.InitializeAsync() : Task.CompletedTask;

    public Task DisposeAsync() => Enabled ? _target.DisposeAsync() : Task.CompletedTask;

    [RealClusterFact]
    public Task Server_side_apply_owns_fields() => ClientScenarios.ServerSideApplyOwnsFieldsAsync(_target);

    [RealClusterFact]
    public Task Informer_follows_changes() => ClientScenarios.InformerFollowsChangesAsync(_target);

    [RealClusterFact]
    public Task Leader_election_hands_over_on_release() => ClientScenarios.LeaderElectionHandsOverOnReleaseAsync(_target);

    [RealClusterFact]
    public Task Events_aggregate() => ClientScenarios.EventsAggregateAsync(_target);
}
