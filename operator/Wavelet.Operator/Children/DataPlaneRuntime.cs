using Wavelet.Api.DataPlane;

namespace Wavelet.Operator.Children;

/// <summary>The contract between the pods the operator renders and the data-plane process: ports, paths, env names, drain timings.</summary>
public static class DataPlaneRuntime
{
    public const string ContainerName = "dataplane";
    public const string PortName = "http";
    public const int ContainerPort = 8080;

    /// <summary>Directory the ConfigMap is mounted on (a directory mount, not subPath, so kubelet updates reach the pod and live reload works).</summary>
    public const string ConfigDirectory = "/etc/wavelet";

    /// <summary>Environment variable naming the config file the data plane loads and watches.</summary>
    public const string ConfigPathEnv = DataPlaneEnvironment.ConfigPath;

    public const string DatabaseUrlEnv = DataPlaneEnvironment.DatabaseUrl;
    public const string JwtSecretEnv = DataPlaneEnvironment.JwtSecret;
    public const string WebhookSecretEnvPrefix = DataPlaneEnvironment.WebhookSecretPrefix;

    /// <summary>Seconds the pod keeps serving after it is marked terminating, so endpoints are removed before it stops accepting.</summary>
    public const int PreStopSleepSeconds = 10;

    /// <summary>Seconds the data plane needs after SIGTERM: not ready, close sockets with 1001, flush, exit.</summary>
    public const int DrainSeconds = 20;

    /// <summary>preStop + drain + margin; the kubelet SIGKILLs after this.</summary>
    public const int TerminationGracePeriodSeconds = PreStopSleepSeconds + DrainSeconds + 5;

    public const int RunAsUser = 65532;

    /// <summary>The data plane's DataPlane:Egress:AllowPrivateNetworks setting, as an environment variable.</summary>
    public const string AllowPrivateEgressEnv = "DataPlane__Egress__AllowPrivateNetworks";

    public static string WebhookSecretEnv(string queryName) => DataPlaneEnvironment.WebhookSecret(queryName);
}
