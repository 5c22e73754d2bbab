namespace Wavelet.Operator.Tests.EndToEnd;

/// <summary>Two operator replicas: only the Lease holder reconciles; stopping it hands over to the other.</summary>
public sealed class LeaderElectionEndToEndTests(RisingWaveFixture rw) : OperatorEndToEndTest(rw)
{
    [Fact]
    public async Task Only_the_leader_reconciles_and_a_stopped_leader_hands_over()
    {
        var first = await H.StartOperatorAsync(leaderElection: true, identity: "op-a");
        await Eventually.UntilAsync(() => OperatorHarness.Metrics(first).IsLeader, "op-a leads");
        var second = await H.StartOperatorAsync(leaderElection: true, identity: "op-b");

        var name = await CreateSyncedLeaderboardAsync("lead");
        await Eventually.UntilAsync(async () => await OperatorHarness.ScrapeAsync(first, "wavelet_operator_reconcile_duration_seconds_count") >= 1, "the leader counts its reconcile");
        Assert.False(OperatorHarness.Metrics(second).IsLeader);
        Assert.Equal(0, await OperatorHarness.ScrapeAsync(second, "wavelet_operator_reconcile_duration_seconds_count"));

        await first.StopAsync();
        await Eventually.UntilAsync(() => OperatorHarness.Metrics(second).IsLeader, "op-b takes over within the lease duration", TimeSpan.FromSeconds(20));

        H.MarkDeploymentAvailable($"{name}-wavelet");
        await H.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.True, "Available");
        await Eventually.UntilAsync(async () => await OperatorHarness.ScrapeAsync(second, "wavelet_operator_reconcile_duration_seconds_count") >= 1, "the new leader reconciled");
    }
}
