using System.Security.Cryptography.X509Certificates;
using Wavelet.Operator.Kubernetes.Configuration;

namespace Wavelet.Operator.Kubernetes;

/// <summary>
/// Where the API server is and how to authenticate to it. Built from kubeconfig files or the in-cluster service account;
/// named like KubernetesClient's class of the same name so the client can be swapped later.
/// </summary>
public sealed class KubernetesClientConfiguration
{
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>API server base URL, e.g. https://10.0.0.1:6443.</summary>
    public string Host { get; set; } = "";

    /// <summary>The context's (or pod's) namespace; null when none is configured.</summary>
    public string? Namespace { get; set; }

    public string? CurrentContext { get; set; }

    /// <summary>Trusted CA certificates for the server; null means the system trust store.</summary>
    public X509Certificate2Collection? SslCaCerts { get; set; }

    public X509Certificate2? ClientCertificate { get; set; }

    public bool SkipTlsVerify { get; set; }

    /// <summary>Name to verify the server certificate against (and send as SNI) instead of the host in <see cref="Host"/>.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>A fixed bearer token (ignored when <see cref="TokenProvider"/> is set).</summary>
    public string? AccessToken { get; set; }

    /// <summary>Source of a refreshable bearer token: token file, exec plugin, service account.</summary>
    public ITokenProvider? TokenProvider { get; set; }

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>Impersonation (kubeconfig <c>as</c> / <c>as-groups</c>).</summary>
    public string? Impersonate { get; set; }

    public IReadOnlyList<string>? ImpersonateGroups { get; set; }

    public Uri? Proxy { get; set; }

    /// <summary>Bound on each non-watch request (watches have none: the server's timeoutSeconds ends them).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>How often a 429/5xx answer with Retry-After is retried (client-go: 10).</summary>
    public int MaxRetries { get; set; } = 10;

    /// <summary>Upper bound on one Retry-After wait.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>KUBECONFIG (first-wins merge) → ~/.kube/config → in-cluster service account.</summary>
    public static KubernetesClientConfiguration BuildDefaultConfig() => BuildDefaultConfig(EnvironmentReader.Process);

    internal static KubernetesClientConfiguration BuildDefaultConfig(EnvironmentReader env)
    {
        var kubeconfigPaths = KubeconfigLoader.DefaultPaths(env);
        if (kubeconfigPaths.Any(File.Exists))
        {
            return KubeconfigLoader.Load(kubeconfigPaths, null, env);
        }

        if (IsInCluster(env))
        {
            return InClusterConfig(env);
        }

        throw new KubeConfigException(
            $"No Kubernetes configuration found: none of the kubeconfig files ({string.Join(", ", kubeconfigPaths)}) exists and this process is not " +
            "in a pod (KUBERNETES_SERVICE_HOST is unset). Set KUBECONFIG to a kubeconfig file or run inside the cluster.");
    }

    /// <summary>
    /// Reads a kubeconfig. <paramref name="kubeconfigPath"/> may list several files separated by the path separator
    /// (as KUBECONFIG does); null means KUBECONFIG or ~/.kube/config. <paramref name="currentContext"/> overrides current-context.
    /// </summary>
    public static KubernetesClientConfiguration BuildConfigFromConfigFile(string? kubeconfigPath = null, string? currentContext = null)
    {
        var env = EnvironmentReader.Process;
        var paths = kubeconfigPath is null ? KubeconfigLoader.DefaultPaths(env) : KubeconfigLoader.SplitPaths(kubeconfigPath);
        return KubeconfigLoader.Load(paths, currentContext, env);
    }

    /// <summary>True when running in a pod: KUBERNETES_SERVICE_HOST/PORT are set and the service-account token exists.</summary>
    public static bool IsInCluster() => IsInCluster(EnvironmentReader.Process);

    internal static bool IsInCluster(EnvironmentReader env) =>
        !string.IsNullOrEmpty(env.Get("KUBERNETES_SERVICE_HOST")) &&
        !string.IsNullOrEmpty(env.Get("KUBERNETES_SERVICE_PORT")) &&
        File.Exists(Path.Combine(env.ServiceAccountDirectory, "token"));

    /// <summary>The pod's service account: API server from KUBERNETES_SERVICE_HOST/PORT, token re-read about every minute.</summary>
    public static KubernetesClientConfiguration InClusterConfig() => InClusterConfig(EnvironmentReader.Process);

    internal static KubernetesClientConfiguration InClusterConfig(EnvironmentReader env) => InClusterLoader.Load(env);
}
