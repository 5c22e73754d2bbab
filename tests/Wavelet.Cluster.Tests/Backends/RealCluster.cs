namespace Wavelet.Cluster.Tests.Backends;

/// <summary>
/// Which real cluster the scenarios can run against: WAVELET_TEST_KUBECONFIG (an existing cluster), else K3s when Docker
/// is reachable. Either way the data plane in the cluster needs a RisingWave it can reach (WAVELET_TEST_RISINGWAVE_URL)
/// and an image it can pull (WAVELET_TEST_DATAPLANE_IMAGE, default the released one).
/// </summary>
public static class RealCluster
{
    public const string KubeconfigVariable = "WAVELET_TEST_KUBECONFIG";
    public const string RisingWaveVariable = "WAVELET_TEST_RISINGWAVE_URL";
    public const string DataPlaneImageVariable = "WAVELET_TEST_DATAPLANE_IMAGE";

    public const string HowToRun =
        "Real-cluster scenarios skipped: set WAVELET_TEST_RISINGWAVE_URL=<postgres URL of a RisingWave reachable from this machine and the cluster> " +
        "and either WAVELET_TEST_KUBECONFIG=<kubeconfig of a cluster> or a reachable Docker engine (K3s via Testcontainers); see docs/testing.md.";

    /// <summary>Null when a real cluster can be used; otherwise the one line saying how to run the scenarios against one.</summary>
    public static string? UnavailableReason =>
        string.IsNullOrEmpty(RisingWaveUrl) || (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(KubeconfigVariable)) && !K3sBackend.DockerAvailable)
            ? HowToRun
            : null;

    public static string? RisingWaveUrl => Environment.GetEnvironmentVariable(RisingWaveVariable) is { Length: > 0 } url ? url : null;

    public static async Task<IClusterBackend> StartAsync() =>
        Environment.GetEnvironmentVariable(KubeconfigVariable) is { Length: > 0 } kubeconfig
            ? new ExistingClusterBackend(kubeconfig)
            : await K3sBackend.StartAsync();
}

/// <summary>A scenario that runs against a real cluster when one can be had; otherwise skipped with how to run it.</summary>
public sealed class RealClusterFactAttribute : FactAttribute
{
    public RealClusterFactAttribute()
    {
        if (Wavelet.Testing.Tools.KubeTools.UnavailableReason is { } tools)
        {
            Skip = tools;
        }
        else if (RealCluster.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
