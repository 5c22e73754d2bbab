namespace Wavelet.Operator.Tests.EndToEnd;

/// <summary>
/// Base of the suites that run against the fake API server and the RisingWave simulator: a fresh harness per test, with
/// the Secret <c>rw</c> (key <c>url</c>) pointing at the simulator already created.
/// </summary>
public abstract class OperatorEndToEndTest(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    protected OperatorHarness H { get; private set; } = null!;

    protected RisingWaveFixture Rw => rw;

    public virtual async Task InitializeAsync()
    {
        H = await OperatorHarness.StartAsync();
        await H.CreateSecretAsync("rw", "url", rw.Url);
    }

    public virtual async Task DisposeAsync() => await H.DisposeAsync();

    /// <summary>Creates a leaderboard project named after <paramref name="prefix"/> and waits until its DDL is synced.</summary>
    protected async Task<string> CreateSyncedLeaderboardAsync(string prefix)
    {
        var name = EndToEndProjects.UniqueName(prefix);
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));
        await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True);
        return name;
    }
}
