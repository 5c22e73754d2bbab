using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Wavelet.Operator.Kubernetes.Configuration;

/// <summary>Reads and merges kubeconfig files the way kubectl does and turns the selected context into a client configuration.</summary>
internal static class KubeconfigLoader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    public static IReadOnlyList<string> DefaultPaths(EnvironmentReader env)
    {
        var fromEnv = env.Get("KUBECONFIG");
        return string.IsNullOrWhiteSpace(fromEnv) ? [Path.Combine(env.Home, ".kube", "config")] : SplitPaths(fromEnv);
    }

    public static IReadOnlyList<string> SplitPaths(string list) =>
        list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static KubernetesClientConfiguration Load(IReadOnlyList<string> paths, string? contextOverride, EnvironmentReader env)
    {
        var merged = Merge(paths);
        var contextName = contextOverride ?? merged.CurrentContext;
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KubeConfigException($"The kubeconfig ({string.Join(", ", paths)}) sets no current-context: set one with `kubectl config use-context` or pass a context name.");
        }

        if (!merged.Contexts.TryGetValue(contextName, out var context) || context.Value.Context is null)
        {
            throw new KubeConfigException($"Context '{contextName}' is not defined in the kubeconfig ({string.Join(", ", paths)}). Defined: {string.Join(", ", merged.Contexts.Keys)}.");
        }

        var clusterName = context.Value.Context.Cluster;
        if (string.IsNullOrEmpty(clusterName) || !merged.Clusters.TryGetValue(clusterName, out var cluster) || cluster.Value.Cluster is null)
        {
            throw new KubeConfigException($"Context '{contextName}' refers to cluster '{clusterName}', which the kubeconfig does not define.");
        }

        var config = new KubernetesClientConfiguration
        {
            CurrentContext = contextName,
            Namespace = string.IsNullOrEmpty(context.Value.Context.Namespace) ? null : context.Value.Context.Namespace,
        };
        ApplyCluster(config, clusterName, cluster.Value.Cluster, cluster.Directory);

        var userName = context.Value.Context.User;
        if (!string.IsNullOrEmpty(userName))
        {
            if (!merged.Users.TryGetValue(userName, out var user) || user.Value.User is null)
            {
                throw new KubeConfigException($"Context '{contextName}' refers to user '{userName}', which the kubeconfig does not define.");
            }

            ApplyUser(config, userName, user.Value.User, user.Directory, env);
        }

        return config;
    }

    private static MergedKubeconfig Merge(IReadOnlyList<string> paths)
    {
        var merged = new MergedKubeconfig();
        var found = false;
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                continue; // kubectl ignores listed files that do not exist
            }

            found = true;
            var file = Parse(path);
            var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            if (string.IsNullOrEmpty(merged.CurrentContext) && !string.IsNullOrEmpty(file.CurrentContext))
            {
                merged.CurrentContext = file.CurrentContext;
            }

            AddFirstWins(merged.Clusters, file.Clusters, c => c.Name, directory);
            AddFirstWins(merged.Users, file.Users, u => u.Name, directory);
            AddFirstWins(merged.Contexts, file.Contexts, c => c.Name, directory);
        }

        if (!found)
        {
            throw new KubeConfigException($"No kubeconfig file exists at {string.Join(", ", paths)}. Set KUBECONFIG or create ~/.kube/config.");
        }

        return merged;
    }

    private static KubeconfigFile Parse(string path)
    {
        try
        {
            return Yaml.Deserialize<KubeconfigFile?>(File.ReadAllText(path)) ?? new KubeconfigFile();
        }
        catch (YamlException ex)
        {
            throw new KubeConfigException($"The kubeconfig {path} is not valid YAML at line {ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
    }

    private static void AddFirstWins<T>(Dictionary<string, Located<T>> target, List<T>? entries, Func<T, string?> name, string directory)
    {
        foreach (var entry in entries ?? [])
        {
            var key = name(entry);
            if (!string.IsNullOrEmpty(key))
            {
                target.TryAdd(key, new Located<T>(entry, directory));
            }
        }
    }

    private static void ApplyCluster(KubernetesClientConfiguration config, string name, ClusterEntry cluster, string directory)
    {
        if (string.IsNullOrEmpty(cluster.Server))
        {
            throw new KubeConfigException($"Cluster '{name}' has no server URL in the kubeconfig.");
        }

        config.Host = cluster.Server.TrimEnd('/');
        config.SkipTlsVerify = cluster.InsecureSkipTlsVerify;
        config.TlsServerName = string.IsNullOrEmpty(cluster.TlsServerName) ? null : cluster.TlsServerName;
        if (!string.IsNullOrEmpty(cluster.ProxyUrl))
        {
            config.Proxy = new Uri(cluster.ProxyUrl);
        }

        var caPem = ReadData(cluster.CertificateAuthorityData, cluster.CertificateAuthority, directory, $"cluster '{name}' certificate-authority");
        if (caPem is not null)
        {
            var certs = new X509Certificate2Collection();
            try
            {
                certs.ImportFromPem(caPem);
            }
            catch (CryptographicException ex)
            {
                throw new KubeConfigException($"The certificate authority of cluster '{name}' is not a PEM certificate: {ex.Message}", ex);
            }

            if (certs.Count == 0)
            {
                throw new KubeConfigException($"The certificate authority of cluster '{name}' contains no PEM certificate.");
            }

            config.SslCaCerts = certs;
        }
    }

    private static void ApplyUser(KubernetesClientConfiguration config, string name, UserEntry user, string directory, EnvironmentReader env)
    {
        var methods = new List<string>();
        if (!string.IsNullOrEmpty(user.Token) || !string.IsNullOrEmpty(user.TokenFile))
        {
            methods.Add("token");
        }

        if (!string.IsNullOrEmpty(user.Username) || !string.IsNullOrEmpty(user.Password))
        {
            methods.Add("basic auth");
        }

        if (user.Exec is not null)
        {
            methods.Add("exec");
        }

        if (user.AuthProvider is not null)
        {
            methods.Add("auth-provider");
        }

        if (methods.Count > 1)
        {
            throw new KubeConfigException($"User '{name}' has more than one authentication method ({string.Join(", ", methods)}); keep one.");
        }

        if (user.AuthProvider is not null)
        {
            throw new KubeConfigException($"User '{name}' uses an auth-provider, which is no longer supported by Kubernetes clients; use an exec plugin instead.");
        }

        var certPem = ReadData(user.ClientCertificateData, user.ClientCertificate, directory, $"user '{name}' client-certificate");
        var keyPem = ReadData(user.ClientKeyData, user.ClientKey, directory, $"user '{name}' client-key");
        if ((certPem is null) != (keyPem is null))
        {
            throw new KubeConfigException($"User '{name}' has a client certificate without a key (or a key without a certificate); give both.");
        }

        if (certPem is not null && keyPem is not null)
        {
            try
            {
                config.ClientCertificate = X509Certificate2.CreateFromPem(certPem, keyPem);
            }
            catch (CryptographicException ex)
            {
                throw new KubeConfigException($"The client certificate or key of user '{name}' is not valid PEM: {ex.Message}", ex);
            }
        }

        if (!string.IsNullOrEmpty(user.TokenFile))
        {
            config.TokenProvider = new TokenFileProvider(Resolve(user.TokenFile, directory), TimeSpan.FromMinutes(1), env.Time);
        }
        else if (!string.IsNullOrEmpty(user.Token))
        {
            config.AccessToken = user.Token;
        }

        config.Username = user.Username;
        config.Password = user.Password;
        config.Impersonate = user.Impersonate;
        config.ImpersonateGroups = user.ImpersonateGroups;

        if (user.Exec is { } exec)
        {
            config.TokenProvider = new ExecCredentialProvider(ToCommand(name, exec, directory), env.Time);
        }
    }

    private static ExecCredentialCommand ToCommand(string userName, ExecEntry exec, string directory)
    {
        if (string.IsNullOrEmpty(exec.Command))
        {
            throw new KubeConfigException($"User '{userName}' has an exec plugin without a command.");
        }

        if (exec.ApiVersion is not null && exec.ApiVersion is not ("client.authentication.k8s.io/v1" or "client.authentication.k8s.io/v1beta1"))
        {
            throw new KubeConfigException($"User '{userName}': exec apiVersion '{exec.ApiVersion}' is not supported; use client.authentication.k8s.io/v1 or v1beta1.");
        }

        if (exec.InteractiveMode == "Always")
        {
            throw new KubeConfigException($"User '{userName}': the exec plugin needs interactiveMode Always, but the operator runs without a terminal.");
        }

        // kubectl: a command with a path separator is relative to the kubeconfig's directory; a bare name is looked up on PATH.
        var command = exec.Command.Contains('/', StringComparison.Ordinal) ? Resolve(exec.Command, directory) : exec.Command;
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in exec.Env ?? [])
        {
            if (!string.IsNullOrEmpty(variable.Name))
            {
                env[variable.Name] = variable.Value ?? "";
            }
        }

        return new ExecCredentialCommand(command)
        {
            Args = exec.Args ?? [],
            Env = env,
            ApiVersion = exec.ApiVersion,
            InstallHint = exec.InstallHint,
        };
    }

    /// <summary>Inline base64 data wins over a file path; a relative path is resolved against the kubeconfig's directory.</summary>
    private static string? ReadData(string? base64, string? path, string directory, string what)
    {
        if (!string.IsNullOrEmpty(base64))
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            }
            catch (FormatException ex)
            {
                throw new KubeConfigException($"The {what}-data in the kubeconfig is not valid base64.", ex);
            }
        }

        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var resolved = Resolve(path, directory);
        if (!File.Exists(resolved))
        {
            throw new KubeConfigException($"The {what} file '{resolved}' named in the kubeconfig does not exist.");
        }

        return File.ReadAllText(resolved);
    }

    private static string Resolve(string path, string directory) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));

    private readonly record struct Located<T>(T Value, string Directory);

    private sealed class MergedKubeconfig
    {
        public string? CurrentContext { get; set; }
        public Dictionary<string, Located<NamedCluster>> Clusters { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, Located<NamedUser>> Users { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, Located<NamedContext>> Contexts { get; } = new(StringComparer.Ordinal);
    }
}
