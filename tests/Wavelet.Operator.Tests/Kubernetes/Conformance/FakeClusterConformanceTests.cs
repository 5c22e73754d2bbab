namespace Wavelet.Operator.Tests.Kubernetes.Conformance;

/// <summary>The client conformance scenarios against the fake API server (always run).</summary>
public sealed class FakeClusterConformanceTests : IAsyncLifetime
{
    private readonly ClusterTarget _target = ClusterTarget.Fake();

    public Task InitializeAsync() => _target.InitializeAsync();

    public Task DisposeAsync() => _target.DisposeAsync();

    [Fact]
    public Task Crud_conflict_and_already_exists() => ClientScenarios.CrudConflictAndAlreadyExistsAsync(_target);

    [Fact]
    public Task Merge_patch_and_apply() => ClientScenarios.MergePatchAndApplyAsync(_target);

    [Fact]
    public Task List_paging_and_selectors() => ClientScenarios.ListPagingAndSelectorsAsync(_target);

    [Fact]
    public Task Deletion_finalizers_preconditions_and_garbage_collection() => ClientScenarios.DeletionFinalizersPreconditionsAndGarbageCollectionAsync(_target);

    [Fact]
    public Task Informer_follows_changes() => ClientScenarios.InformerFollowsChangesAsync(_target);

    [Fact]
    public Task Leader_election_hands_over_on_release() => ClientScenarios.LeaderElectionHandsOverOnReleaseAsync(_target);

    [Fact]
    public Task Events_aggregate() => ClientScenarios.EventsAggregateAsync(_target);
}
