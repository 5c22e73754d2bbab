namespace Wavelet.Cluster.Tests;

/// <summary>The scenario list against the fake API server, with the real kubectl and helm and the operator process.</summary>
public sealed class FakeClusterScenarioTests(FakeClusterSession session, ITestOutputHelper output) : IClassFixture<FakeClusterSession>
{
    private readonly ScenarioShell _shell = new(session, output);

    [KubeToolsFact]
    public Task Chart_installs_upgrades_and_uninstalls() => ClusterScenarios.ChartInstallsUpgradesAndUninstallsAsync(session, _shell);

    [KubeToolsFact]
    public Task Kubectl_creates_a_namespace_a_secret_and_a_configmap() => ClusterScenarios.KubectlCreatesNamespaceSecretAndConfigMapAsync(_shell);

    [KubeToolsFact]
    public Task Kubectl_explain_prints_the_API_descriptions() => ClusterScenarios.KubectlExplainPrintsTheApiDescriptionsAsync(_shell);

    [KubeToolsFact]
    public Task The_leaderboard_example_from_apply_to_delete() => ClusterScenarios.LeaderboardExampleLifecycleAsync(session, _shell);
}
