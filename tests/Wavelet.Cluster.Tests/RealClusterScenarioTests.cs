using Wavelet.Cluster.Tests.Backends;

namespace Wavelet.Cluster.Tests;

/// <summary>
/// The same scenario list against a real cluster: WAVELET_TEST_KUBECONFIG, or K3s when Docker is reachable (and
/// WAVELET_TEST_RISINGWAVE_URL for the data plane). One test, so that without a cluster it is one line saying how to run it.
/// </summary>
public sealed class RealClusterScenarioTests(RealClusterSession session, ITestOutputHelper output) : IClassFixture<RealClusterSession>
{
    [RealClusterFact]
    public async Task The_scenario_list_on_a_real_cluster()
    {
        var shell = new ScenarioShell(session, output);
        output.WriteLine($"backend: {session.Backend.Name}");
        await ClusterScenarios.KubectlExplainPrintsTheApiDescriptionsAsync(shell);
        await ClusterScenarios.KubectlCreatesNamespaceSecretAndConfigMapAsync(shell);
        await ClusterScenarios.LeaderboardExampleLifecycleAsync(session, shell);
        await ClusterScenarios.ChartInstallsUpgradesAndUninstallsAsync(session, shell);
    }
}
