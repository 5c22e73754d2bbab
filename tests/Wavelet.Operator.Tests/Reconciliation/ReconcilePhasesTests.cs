using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Hosting;
using Wavelet.Operator.Observability;
using Wavelet.Operator.Reconciliation;
using Wavelet.Operator.Tests.EndToEnd;
using Wavelet.Testing.RisingWave;

namespace Wavelet.Operator.Tests.Reconciliation;

/// <summary>One pass at a time against the fake API server and the RisingWave simulator, no controller in between.</summary>
public sealed class ReconcilePhasesTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    private OperatorHarness _h = null!;
    private CountingDdlSessions _sessions = null!;
    private StatusAtEventTime _events = null!;
    private ProjectReconciler _reconciler = null!;
    private DdlSessionFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _h = await OperatorHarness.StartAsync();
        await _h.CreateSecretAsync("rw", "url", rw.Url);
        _factory = new DdlSessionFactory(NullLoggerFactory.Instance);
        _sessions = new CountingDdlSessions(_factory);
        _events = new StatusAtEventTime(_h.Server);
        _reconciler = new ProjectReconciler(_h.Client, _sessions, _events, new OperatorMetrics(),
            Options.Create(new OperatorOptions { DataPlaneImage = "wavelet/dataplane:test" }), TimeProvider.System, NullLogger<ProjectReconciler>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task A_pass_writes_the_status_once_and_sends_its_events_after_that_write()
    {
        var name = EndToEndProjects.UniqueName("once");
        await _h.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));
        var mark = _h.Server.Requests.Mark();

        var result = await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Full, CancellationToken.None);

        Assert.Equal((ReconcileOutcome.Requeue, ReconcilePhase.Rollout), (result.Outcome, result.Phase));
        Assert.Equal(1, _h.Server.Requests.WritesSince(mark, "/status"));
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
        await _h.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));
        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Full, CancellationToken.None);
        Assert.Equal(1, _sessions.Opened);

        // The kubelet's rollout and a deleted ConfigMap: both child changes, both handled without the database.
        _h.MarkDeploymentAvailable($"{name}-wavelet");
        Assert.True(_h.Server.DeleteObject("v1", "configmaps", OperatorHarness.Ns, $"{name}-wavelet-config"));
        var mark = _h.Server.Requests.Mark();
        var result = await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Children, CancellationToken.None);

        Assert.Equal(ReconcileOutcome.Success, result.Outcome);
        Assert.Equal(1, _sessions.Opened);
        Assert.NotNull(_h.Child("v1", "configmaps", $"{name}-wavelet-config"));
        Assert.Equal(1, _h.Server.Requests.WritesSince(mark, "/status"));
        Assert.Equal(ConditionStatus.True, OperatorHarness.Condition(await _h.GetProjectAsync(name), ConditionTypes.Ready)!.Status);

        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Children, CancellationToken.None);
        Assert.Equal(1, _sessions.Opened);

        await _h.UpdateSpecAsync(name, spec => spec.Queries.Add(new() { Name = "top", Sql = "SELECT player_id, score FROM game_events WHERE score > 100" }));
        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Children, CancellationToken.None);
        Assert.Equal(2, _sessions.Opened);
        Assert.Contains("top", _h.Child("v1", "configmaps", $"{name}-wavelet-config")!["data"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_converged_project_costs_no_writes_on_further_passes()
    {
        var name = EndToEndProjects.UniqueName("idle");
        await _h.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));
        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Full, CancellationToken.None);
        _h.MarkDeploymentAvailable($"{name}-wavelet");
        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Children, CancellationToken.None);

        var mark = _h.Server.Requests.Mark();
        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Full, CancellationToken.None);
        await _reconciler.ReconcileAsync(OperatorHarness.Ns, name, ReconcileScope.Children, CancellationToken.None);

        Assert.Equal(0, _h.Server.Requests.WritesSince(mark));
    }
}
