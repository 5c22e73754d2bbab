using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wavelet.Operator.Tests.Hosting;

/// <summary>The operator as a real process: it starts, serves health and metrics, logs, and exits cleanly on SIGTERM.</summary>
public sealed class OperatorProcessTests : IAsyncLifetime
{
    private FakeKubernetesApiServer _server = null!;
    private string _kubeconfig = "";

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync();
        _kubeconfig = Path.Combine(Path.GetTempPath(), $"wavelet-op-{Guid.NewGuid():N}.yaml");
        _server.WriteKubeconfig(_kubeconfig);
    }

    public async Task DisposeAsync()
    {
        File.Delete(_kubeconfig);
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Starts_serves_health_and_metrics_and_exits_zero_on_SIGTERM()
    {
        var port = FreePort.Pick();
        using var process = Start($"--health-port {port} --metrics-port {port} --leader-elect true --lease-namespace default --watch-namespaces apps,web");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Eventually.UntilAsync(async () => await TryGetAsync(http, "/readyz") == HttpStatusCode.OK, "the operator is ready");
            Assert.Equal(HttpStatusCode.OK, await TryGetAsync(http, "/healthz"));
            await Eventually.UntilAsync(async () => (await http.GetStringAsync("/metrics")).Contains("\nwavelet_operator_leader 1\n", StringComparison.Ordinal), "it acquires the lease");
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Contains("# TYPE wavelet_operator_reconcile_duration_seconds histogram", metrics, StringComparison.Ordinal);
            var served = PrometheusText.Parse(metrics).Types;
            Assert.All(ChartMetrics.Named().Where(n => n.StartsWith("wavelet_operator_", StringComparison.Ordinal)),
                named => Assert.True(served.ContainsKey(named), $"the chart's alerts or dashboard query {named}, which the operator does not serve"));
            await Eventually.UntilAsync(async () => (await http.GetStringAsync("/metrics")).Contains("\nwavelet_operator_projects{ready=\"true\"} 0\n", StringComparison.Ordinal),
                "the leader's controller counts the (no) projects of its caches");
            Assert.True(_server.GetObject("coordination.k8s.io", "leases", "default", "wavelet-operator") is not null,
                string.Join("\n", _server.Requests.All.Select(r => $"{r.Method} {r.Path}")) + output);
            await Eventually.UntilAsync(
                () => _server.Requests.All.Any(r => r.Path.Contains("/namespaces/web/waveletprojects", StringComparison.Ordinal)),
                "the leader lists WaveletProjects in the watched namespace web");

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exit.Token);
            Assert.Equal(0, process.ExitCode);
            string log;
            lock (output)
            {
                log = output.ToString();
            }

            Assert.Contains("controller stopped", log, StringComparison.Ordinal);
            var lease = _server.GetObject("coordination.k8s.io", "leases", "default", "wavelet-operator")!;
            Assert.True(string.IsNullOrEmpty(lease["spec"]?["holderIdentity"]?.GetValue<string>()), "the lease is released on shutdown");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Invalid_settings_exit_with_a_message_naming_the_setting()
    {
        var (exitCode, _, stderr) = await RunToExitAsync("--max-concurrent-reconciles 0");
        Assert.Equal(2, exitCode);
        Assert.Contains("MaxConcurrentReconciles (--max-concurrent-reconciles) is 0; use 1 to 64", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_the_flags_and_exits_zero_without_a_cluster()
    {
        var (exitCode, help, stderr) = await RunToExitAsync("--help", kubeconfig: "");
        Assert.Equal(0, exitCode);
        foreach (var flag in new[] { "--metrics-port", "--health-port", "--leader-elect", "--lease-name", "--lease-namespace", "--data-plane-image", "--resync-period", "--max-concurrent-reconciles", "--identity", "--watch-namespaces" })
        {
            Assert.Contains(flag, help, StringComparison.Ordinal);
        }

        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task Without_a_kubeconfig_or_a_pod_it_says_so_in_one_line_and_exits_2()
    {
        var (exitCode, _, stderr) = await RunToExitAsync("--leader-elect false", kubeconfig: Path.Combine(Path.GetTempPath(), $"wavelet-missing-{Guid.NewGuid():N}.yaml"));
        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("wavelet-operator: no Kubernetes configuration found:", line, StringComparison.Ordinal);
        Assert.Contains("set KUBECONFIG", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_flag_exits_2_naming_it()
    {
        var (exitCode, _, stderr) = await RunToExitAsync("--metrics-prot 9");
        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("wavelet-operator: ", line, StringComparison.Ordinal);
        Assert.Contains("--metrics-prot", line, StringComparison.Ordinal);
    }

    /// <summary>Runs the operator until it exits by itself (30 s at most): its exit code and what it wrote.</summary>
    private async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(string args, string? kubeconfig = null)
    {
        using var process = Start(args, kubeconfig);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(exit.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private Process Start(string args, string? kubeconfig = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Wavelet.Operator.dll");
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\" {args}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["KUBECONFIG"] = kubeconfig ?? _kubeconfig;
        info.Environment["HOME"] = Path.GetTempPath(); // no ~/.kube/config of the machine running the tests
        info.Environment.Remove("KUBERNETES_SERVICE_HOST");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return Process.Start(info)!;
    }

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
