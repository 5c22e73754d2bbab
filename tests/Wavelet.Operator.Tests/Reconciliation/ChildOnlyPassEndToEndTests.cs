using Wavelet.Operator.Tests.EndToEnd;

namespace Wavelet.Operator.Tests.Reconciliation;

/// <summary>The controller gives a key woken up by its children a child-only pass.</summary>
public sealed class ChildOnlyPassEndToEndTests(RisingWaveFixture rw) : OperatorEndToEndTest(rw)
{
    private DdlSessionFactory _factory = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _factory = new DdlSessionFactory(NullLoggerFactory.Instance);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Rollout_and_a_deleted_child_are_handled_without_reopening_the_RisingWave_session()
    {
        var sessions = new CountingDdlSessions(_factory);
        await H.StartOperatorAsync(resync: "01:00:00", services: s => s.AddSingleton<IDdlSessionFactory>(sessions));
        var name = await CreateSyncedLeaderboardAsync("quiet");

        H.MarkDeploymentAvailable($"{name}-wavelet");
        await H.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.True);
        Assert.True(H.Server.DeleteObject("v1", "configmaps", OperatorHarness.Ns, $"{name}-wavelet-config"));
        await Eventually.UntilAsync(() => H.Child("v1", "configmaps", $"{name}-wavelet-config") is not null, "the ConfigMap is recreated");

        Assert.Equal(1, sessions.Opened);
    }
}
