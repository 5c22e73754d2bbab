using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Wavelet.Operator.Kubernetes.Configuration;

internal static class InClusterLoader
{
    public static KubernetesClientConfiguration Load(EnvironmentReader env)
    {
        var host = env.Get("KUBERNETES_SERVICE_HOST");
        var port = env.Get("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("Not running in a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set for in-cluster configuration.");
        }

        var tokenPath = Path.Combine(env.ServiceAccountDirectory, "token");
        if (!File.Exists(tokenPath))
        {
            throw new KubeConfigException($"The service-account token {tokenPath} does not exist: mount a service account token (automountServiceAccountToken) for in-cluster configuration.");
        }

        if (IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            host = $"[{host}]";
        }

        var config = new KubernetesClientConfiguration
        {
            Host = $"https://{host}:{port}",
            TokenProvider = new TokenFileProvider(tokenPath, TimeSpan.FromMinutes(1), env.Time),
            Namespace = env.Get("POD_NAMESPACE") is { Length: > 0 } podNamespace ? podNamespace : ReadNamespace(env),
        };

        var caPath = Path.Combine(env.ServiceAccountDirectory, "ca.crt");
        if (File.Exists(caPath))
        {
            var certs = new X509Certificate2Collection();
            certs.ImportFromPemFile(caPath);
            config.SslCaCerts = certs;
        }

        return config;
    }

    private static string? ReadNamespace(EnvironmentReader env)
    {
        var path = Path.Combine(env.ServiceAccountDirectory, "namespace");
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}
