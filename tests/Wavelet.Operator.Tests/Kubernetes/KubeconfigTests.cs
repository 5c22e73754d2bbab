using System.Text;
using Microsoft.Extensions.Time.Testing;
using Wavelet.Operator.Kubernetes;
using Wavelet.Operator.Kubernetes.Configuration;
using Ks = Wavelet.Operator.Kubernetes;

namespace Wavelet.Operator.Tests.Kubernetes;

public sealed class KubeconfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wavelet-kubeconfig-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 7, 24, 14, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Several_files_merge_first_wins()
    {
        var first = Write("first/config", """
            current-context: one
            clusters:
            - name: shared
              cluster: {server: "https://first.example:6443"}
            users:
            - name: alice
              user: {token: alice-token}
            contexts:
            - name: one
              context: {cluster: shared, user: alice, namespace: ns-one}
            """);
        var second = Write("second/config", """
            current-context: two
            clusters:
            - name: shared
              cluster: {server: "https://second.example:6443"}
            - name: only-second
              cluster: {server: "https://only.example"}
            users:
            - name: alice
              user: {token: second-alice}
            contexts:
            - name: one
              context: {cluster: only-second, user: alice}
            - name: two
              context: {cluster: shared, user: alice, namespace: ns-two}
            """);

        var config = Load($"{first}{Path.PathSeparator}{second}");
        Assert.Equal("one", config.CurrentContext);
        Assert.Equal("https://first.example:6443", config.Host);
        Assert.Equal("alice-token", config.AccessToken);
        Assert.Equal("ns-one", config.Namespace);

        // a context only the second file defines still resolves names first-wins
        var two = Load($"{first}{Path.PathSeparator}{second}", "two");
        Assert.Equal("https://first.example:6443", two.Host);
        Assert.Equal("ns-two", two.Namespace);

        // missing files in the list are skipped, as kubectl does
        Assert.Equal("one", Load($"{Path.Combine(_dir, "absent")}{Path.PathSeparator}{first}").CurrentContext);
    }

    [Fact]
    public void Inline_data_wins_over_files_and_relative_paths_resolve_against_the_kubeconfig()
    {
        var (caFromData, _) = TestCertificates.Create("ca-from-data", isCa: true);
        var (caFromFile, _) = TestCertificates.Create("ca-from-file", isCa: true);
        var (clientCert, clientKey) = TestCertificates.Create("client");
        Write("conf/certs/ca.pem", caFromFile);
        Write("conf/certs/client.pem", clientCert);
        Write("conf/certs/client.key", clientKey);
        Write("conf/token", "file-token\n");

        var withData = Write("conf/with-data", $$"""
            current-context: c
            clusters:
            - name: c
              cluster:
                server: https://k8s.example:6443
                certificate-authority: certs/missing-but-ignored.pem
                certificate-authority-data: {{B64(caFromData)}}
                tls-server-name: api.internal
            users:
            - name: u
              user:
                client-certificate: certs/client.pem
                client-key: certs/client.key
                tokenFile: token
            contexts:
            - name: c
              context: {cluster: c, user: u}
            """);
        var config = Load(withData);
        Assert.Equal("CN=ca-from-data", Assert.Single(config.SslCaCerts!).Subject);
        Assert.Equal("CN=client", config.ClientCertificate!.Subject);
        Assert.True(config.ClientCertificate.HasPrivateKey);
        Assert.Equal("api.internal", config.TlsServerName);
        var tokens = Assert.IsType<TokenFileProvider>(config.TokenProvider);
        Assert.Equal(Path.Combine(_dir, "conf", "token"), tokens.Path);

        var withFile = Write("conf/with-file", """
            current-context: c
            clusters:
            - name: c
              cluster: {server: "https://k8s.example:6443", certificate-authority: certs/ca.pem, insecure-skip-tls-verify: false}
            contexts:
            - name: c
              context: {cluster: c}
            """);
        Assert.Equal("CN=ca-from-file", Assert.Single(Load(withFile).SslCaCerts!).Subject);
    }

    [Fact]
    public void Mistakes_are_reported_with_what_to_fix()
    {
        var noContext = Write("a", "clusters: []\n");
        Assert.Contains("current-context", Assert.Throws<KubeConfigException>(() => Load(noContext)).Message, StringComparison.Ordinal);

        var unknownContext = Write("b", "current-context: nope\ncontexts: []\n");
        Assert.Contains("'nope' is not defined", Assert.Throws<KubeConfigException>(() => Load(unknownContext)).Message, StringComparison.Ordinal);

        var twoMethods = Write("c", """
            current-context: c
            clusters: [{name: c, cluster: {server: "https://x"} }]
            users: [{name: u, user: {token: t, exec: {command: get-token}} }]
            contexts: [{name: c, context: {cluster: c, user: u} }]
            """);
        Assert.Contains("more than one authentication method", Assert.Throws<KubeConfigException>(() => Load(twoMethods)).Message, StringComparison.Ordinal);

        var missingCa = Write("d", """
            current-context: c
            clusters: [{name: c, cluster: {server: "https://x", certificate-authority: nowhere.pem} }]
            contexts: [{name: c, context: {cluster: c} }]
            """);
        Assert.Contains("nowhere.pem", Assert.Throws<KubeConfigException>(() => Load(missingCa)).Message, StringComparison.Ordinal);

        var badYaml = Write("e", "clusters: [unclosed\n");
        Assert.Contains("not valid YAML", Assert.Throws<KubeConfigException>(() => Load(badYaml)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_plugin_token_is_cached_until_expiry_and_rerun_on_401()
    {
        await using var server = await Wavelet.Testing.Kubernetes.FakeKubernetesApiServer.StartAsync();
        var script = Write("bin/cred.sh", """
            #!/bin/sh
            dir=$(dirname "$0")
            n=$(cat "$dir/runs" 2>/dev/null || echo 0)
            n=$((n + 1))
            echo "$n" > "$dir/runs"
            echo "$KUBERNETES_EXEC_INFO" > "$dir/exec-info"
            echo "$MY_SETTING" > "$dir/env"
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-%s","expirationTimestamp":"%s"}}' "$n" "$EXPIRY"
            """);
        MakeExecutable(script);
        var kubeconfig = Write("kubeconfig", $$"""
            current-context: c
            clusters: [{name: c, cluster: {server: "{{server.Url}}" } }]
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./bin/cred.sh
                  interactiveMode: Never
                  env: [{name: MY_SETTING, value: from-kubeconfig}, {name: EXPIRY, value: "2026-07-24T15:00:00Z"}]
            contexts: [{name: c, context: {cluster: c, user: u} }]
            """);

        var config = Load(kubeconfig);
        using var client = new Ks.Kubernetes(config, null, _clock);
        var maps = client.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps);
        server.RequireToken("exec-1");

        await maps.GetAsync("default", "a");
        await maps.GetAsync("default", "b");
        Assert.Equal("1", File.ReadAllText(Path.Combine(_dir, "bin", "runs")).Trim());
        Assert.Contains("\"kind\":\"ExecCredential\"", File.ReadAllText(Path.Combine(_dir, "bin", "exec-info")), StringComparison.Ordinal);
        Assert.Contains("\"interactive\":false", File.ReadAllText(Path.Combine(_dir, "bin", "exec-info")), StringComparison.Ordinal);
        Assert.Equal("from-kubeconfig", File.ReadAllText(Path.Combine(_dir, "bin", "env")).Trim());

        // the server stops accepting the token: one 401 re-runs the plugin
        server.RequireToken("exec-2");
        await maps.GetAsync("default", "c");
        Assert.Equal("2", File.ReadAllText(Path.Combine(_dir, "bin", "runs")).Trim());

        // 30 s before expiry the cached token counts as expired
        _clock.SetUtcNow(new DateTimeOffset(2026, 7, 24, 14, 59, 40, TimeSpan.Zero));
        server.RequireToken("exec-3");
        await maps.GetAsync("default", "d");
        Assert.Equal("3", File.ReadAllText(Path.Combine(_dir, "bin", "runs")).Trim());
        Assert.Equal(["exec-1", "exec-1", "exec-1", "exec-2", "exec-3"], server.Requests.All.Select(r => r.BearerToken));
    }

    [Fact]
    public async Task Exec_plugin_failures_explain_themselves()
    {
        var script = Write("bin/fail.sh", "#!/bin/sh\necho 'login required: run sso-login' >&2\nexit 3\n");
        MakeExecutable(script);
        using var failing = new ExecCredentialProvider(new ExecCredentialCommand(script));
        var error = await Assert.ThrowsAsync<KubeConfigException>(() => failing.GetTokenAsync(false, CancellationToken.None).AsTask());
        Assert.Contains("exited with code 3: login required", error.Message, StringComparison.Ordinal);

        using var missing = new ExecCredentialProvider(new ExecCredentialCommand(Path.Combine(_dir, "no-such-plugin")) { InstallHint = "Install it with: brew install thing" });
        var notFound = await Assert.ThrowsAsync<KubeConfigException>(() => missing.GetTokenAsync(false, CancellationToken.None).AsTask());
        Assert.Contains("brew install thing", notFound.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_file_rotation_is_picked_up_after_a_minute_and_the_last_good_token_survives_a_bad_read()
    {
        await using var server = await Wavelet.Testing.Kubernetes.FakeKubernetesApiServer.StartAsync();
        var tokenPath = Write("sa/token", "token-1");
        var kubeconfig = Write("sa/kubeconfig", $$"""
            current-context: c
            clusters: [{name: c, cluster: {server: "{{server.Url}}" } }]
            users: [{name: u, user: {tokenFile: token} }]
            contexts: [{name: c, context: {cluster: c, user: u} }]
            """);
        using var client = new Ks.Kubernetes(Load(kubeconfig), null, _clock);
        var maps = client.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps);

        await maps.GetAsync("default", "x");
        File.WriteAllText(tokenPath, "token-2");
        await maps.GetAsync("default", "x"); // within the minute: still the cached token
        _clock.Advance(TimeSpan.FromSeconds(61));
        await maps.GetAsync("default", "x");
        File.Delete(tokenPath);
        _clock.Advance(TimeSpan.FromSeconds(61));
        await maps.GetAsync("default", "x");

        Assert.Equal(["token-1", "token-1", "token-2", "token-2"], server.Requests.All.Select(r => r.BearerToken));
    }

    [Fact]
    public void In_cluster_reads_the_service_account_and_brackets_ipv6()
    {
        var sa = Path.Combine(_dir, "serviceaccount");
        var (ca, _) = TestCertificates.Create("cluster-ca", isCa: true);
        Write("serviceaccount/token", "sa-token");
        Write("serviceaccount/ca.crt", ca);
        Write("serviceaccount/namespace", "wavelet-system\n");
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "fd00::1", ["KUBERNETES_SERVICE_PORT"] = "443" };
        var reader = new EnvironmentReader(name => env.GetValueOrDefault(name), Path.Combine(_dir, "home"), sa);

        Assert.True(KubernetesClientConfiguration.IsInCluster(reader));
        var config = KubernetesClientConfiguration.BuildDefaultConfig(reader); // no kubeconfig in home: falls back to in-cluster
        Assert.Equal("https://[fd00::1]:443", config.Host);
        Assert.Equal("wavelet-system", config.Namespace);
        Assert.Equal("CN=cluster-ca", Assert.Single(config.SslCaCerts!).Subject);
        Assert.IsType<TokenFileProvider>(config.TokenProvider);

        env["POD_NAMESPACE"] = "from-downward-api";
        Assert.Equal("from-downward-api", KubernetesClientConfiguration.InClusterConfig(reader).Namespace);
    }

    [Fact]
    public void Default_order_is_KUBECONFIG_then_home_then_in_cluster_then_a_clear_error()
    {
        var env = new Dictionary<string, string>();
        var reader = new EnvironmentReader(name => env.GetValueOrDefault(name), Path.Combine(_dir, "home"), Path.Combine(_dir, "no-sa"));
        var error = Assert.Throws<KubeConfigException>(() => KubernetesClientConfiguration.BuildDefaultConfig(reader));
        Assert.Contains("Set KUBECONFIG", error.Message, StringComparison.Ordinal);

        Write("home/.kube/config", """
            current-context: home
            clusters: [{name: c, cluster: {server: "https://home.example"} }]
            contexts: [{name: home, context: {cluster: c} }]
            """);
        Assert.Equal("https://home.example", KubernetesClientConfiguration.BuildDefaultConfig(reader).Host);

        env["KUBECONFIG"] = Write("elsewhere", """
            current-context: env
            clusters: [{name: c, cluster: {server: "https://env.example"} }]
            contexts: [{name: env, context: {cluster: c} }]
            """);
        Assert.Equal("https://env.example", KubernetesClientConfiguration.BuildDefaultConfig(reader).Host);
    }

    private KubernetesClientConfiguration Load(string paths, string? context = null) =>
        KubeconfigLoader.Load(KubeconfigLoader.SplitPaths(paths), context, new EnvironmentReader(_ => null, _dir, Path.Combine(_dir, "no-sa")) { Time = _clock });

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static void MakeExecutable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
