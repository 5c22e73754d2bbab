using Microsoft.Extensions.Options;
using Wavelet.Operator.Tests.EndToEnd;

namespace Wavelet.Operator.Tests.Reconciliation;

/// <summary>One pass at a time against the fake API server and the RisingWave simulator, no controller in between.</summary>
public sealed class ReconcilePhasesTests(RisingWaveFixture rw) : OperatorEndToEndTest(rw)
{
    private CountingDdlSessions _sessions = null!;
    private StatusAtEventTime _events = null!;
    private ProjectReconciler _reconciler = null!;
    private DdlSessionFactory _factory = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _factory = new DdlSessionFactory(NullLoggerFactory.Instance);
        _sessions = new CountingDdlSessions(_factory);
        _events = new StatusAtEventTime(H.Server);
        _reconciler = new ProjectReconciler(H.Client, _sessions, _events, new OperatorMetrics(),
            Options.Create(new OperatorOptions { DataPlaneImage = "wavelet/dataplane:test" }), TimeProvider.System, NullLogger<ProjectReconciler>.Instance);
    }

    public override async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_pass_writes_the_status_once_and_sends_its_events_after_that_write()
    {
        var name = EndToEndProjects.UniqueName("once");
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));
        var mark = H.Server.Requests.Mark();

        var result = await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Full, CancellationToken.None);

        Assert.Equal((ReconcileOutcome.Requeue, ReconcilePhase.Rollout), (result.Outcome, result.Phase));
        Assert.Equal(1, H.Server.Requests.WritesSince(mark, "/status"));
        Assert.NotEmpty(_events.Sent);
        // Every DDL event (CreateTable, CreateMaterializedView, ...) finds its action already in the stored status.
        foreach (var (reason, status) in _events.Sent)
        {
            var actions = status?["lastActions"]?.AsArray().Select(a => $"{a!["type"]}{a["resource"]}".ToUpperInvariant()) ?? [];
            Assert.Contains(reason.ToUpperInvariant(), actions);
        }
    }

    [Fact]
    public async Task A_child_only_pass_opens_no_RisingWave_session_and_a_full_pass_after_a_spec_change_does()
    {
        var name = EndToEndProjects.UniqueName("child");
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));
        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Full, CancellationToken.None);
        Assert.Equal(1, _sessions.Opened);

        // The kubelet's rollout and a deleted ConfigMap: both child changes, both handled without the database.
        H.MarkDeploymentAvailable($"{name}-wavelet");
        Assert.True(H.Server.DeleteObject("v1", "configmaps", OperatorHarness.Ns, $"{name}-wavelet-config"));
        var mark = H.Server.Requests.Mark();
        var result = await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Children, CancellationToken.None);

        Assert.Equal(ReconcileOutcome.Success, result.Outcome);
        Assert.Equal(1, _sessions.Opened);
        Assert.NotNull(H.Child("v1", "configmaps", $"{name}-wavelet-config"));
        Assert.Equal(1, H.Server.Requests.WritesSince(mark, "/status"));
        Assert.Equal(ConditionStatus.True, OperatorHarness.Condition(await H.GetProjectAsync(name), ConditionTypes.Ready)!.Status);

        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Children, CancellationToken.None);
        Assert.Equal(1, _sessions.Opened);

        await H.UpdateSpecAsync(name, spec => spec.Queries.Add(new() { Name = "top", Sql = "SELECT player_id, score FROM game_events WHERE score > 100" }));
        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Children, CancellationToken.None);
        Assert.Equal(2, _sessions.Opened);
        Assert.Contains("top", H.Child("v1", "configmaps", $"{name}-wavelet-config")!["data"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_converged_project_costs_no_writes_on_further_passes()
    {
        var name = EndToEndProjects.UniqueName("idle");
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));
        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Full, CancellationToken.None);
        H.MarkDeploymentAvailable($"{name}-wavelet");
        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Children, CancellationToken.None);

        var mark = H.Server.Requests.Mark();
        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Full, CancellationToken.None);
        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Children, CancellationToken.None);

        Assert.Equal(0, H.Server.Requests.WritesSince(mark));
    }
}
