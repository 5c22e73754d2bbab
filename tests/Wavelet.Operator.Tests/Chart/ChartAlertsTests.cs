using System.Globalization;
using Wavelet.DataPlane.Observability;
using Wavelet.Testing.Tools;
using YamlDotNet.Serialization;

namespace Wavelet.Operator.Tests.Chart;

/// <summary>
/// The chart's optional PrometheusRule (valid for promtool, every metric it names exported) and Grafana dashboard. That
/// the processes really serve every metric a rule or panel names is checked where a real one is scraped:
/// MetricsEndpointTests (data plane) and OperatorProcessTests (operator), through <see cref="ChartMetrics"/>.
/// </summary>
public sealed partial class ChartAlertsTests
{
    private const string RuleOn = "metrics: {prometheusRule: {enabled: true, labels: {release: kube-prometheus}}}";
    private const string DashboardOn = "metrics: {grafanaDashboard: {enabled: true, namespace: monitoring, annotations: {grafana_folder: Wavelet}}}";
    private const string DashboardName = WaveletChart.Release + "-dashboard";

    private static readonly string[] PanelTitles =
        ["Projects ready", "Feed lag", "Delivered messages/s", "Connections", "Slow consumers", "Webhook drops", "DDL actions"];

    [PromtoolFact]
    public async Task The_rendered_rule_passes_promtool_check_rules()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wavelet-rules-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, new SerializerBuilder().Build().Serialize(new Dictionary<string, object?> { ["groups"] = await GroupsAsync() }));
        try
        {
            using var promtool = Process.Start(new ProcessStartInfo("promtool", ["check", "rules", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
            await promtool.WaitForExitAsync();
            Assert.True(promtool.ExitCode == 0, output);
            Assert.Contains("7 rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [KubeToolsFact]
    public async Task Every_metric_a_rule_names_is_exported_by_the_data_plane_or_the_operator()
    {
        using var dataPlane = new DataPlaneMetrics();
        using var @operator = new OperatorMetrics();
        var exported = PrometheusText.Parse(await dataPlane.RenderAsync(CancellationToken.None)).Types.Keys
            .Concat(PrometheusText.Parse(await @operator.RenderAsync(CancellationToken.None)).Types.Keys)
            .ToHashSet(StringComparer.Ordinal);

        var named = (await GroupsAsync()).Cast<IDictionary<string, object?>>()
            .SelectMany(g => ((IEnumerable<object?>)g["rules"]!).Cast<IDictionary<string, object?>>())
            .SelectMany(r => MetricName().Matches((string)r["expr"]!).Select(m => m.Value))
            .Distinct().ToList();

        Assert.True(named.Count >= 8, string.Join(", ", named));
        Assert.All(named, name => Assert.Contains(name, exported));
    }

    [KubeToolsFact]
    public async Task The_rule_is_off_by_default_and_carries_its_extra_labels_when_on()
    {
        Assert.Empty((await WaveletChart.RenderAsync()).OfKind("PrometheusRule"));
        var rule = (await WaveletChart.RenderAsync(RuleOn)).OfKind("PrometheusRule").Single();
        Assert.Equal("kube-prometheus", YamlValues.At(rule, "metadata.labels.release"));
    }

    [Fact]
    public void The_operations_doc_lists_exactly_the_rules_of_the_alerts_file()
    {
        var groups = (List<object?>)YamlValues.LoadFile(RepositoryRoot.Combine("charts", "wavelet-operator", "files", "alerts.yaml"))!;
        var rows = groups.Cast<Dictionary<string, object?>>()
            .SelectMany(g => ((List<object?>)g["rules"]!).Cast<Dictionary<string, object?>>())
            .Select(r => $"| `{r["alert"]}` | `{Cell(r["expr"])}` | {Cell(r.GetValueOrDefault("for") ?? "-")} | {Cell(((Dictionary<string, object?>?)r.GetValueOrDefault("annotations"))?.GetValueOrDefault("summary") ?? "")} |");
        var expected = string.Join('\n', ["| alert | fires when | for | summary |", "|---|---|---|---|", .. rows]);

        var doc = RepositoryRoot.ReadAllText("docs", "operations.md");
        var start = doc.IndexOf('\n', doc.IndexOf("<!-- alerts:", StringComparison.Ordinal)) + 1;
        var actual = doc[start..doc.IndexOf("\n<!-- /alerts -->", StringComparison.Ordinal)];
        Assert.True(expected == actual, $"docs/operations.md's alert table differs from files/alerts.yaml; it should read:\n{expected}");
    }

    private static string Cell(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture)!.Replace("|", "\\|", StringComparison.Ordinal);

    [KubeToolsFact]
    public async Task The_dashboard_is_off_by_default_and_when_on_is_a_sidecar_ConfigMap_holding_the_dashboard_file()
    {
        Assert.Null((await WaveletChart.RenderAsync()).Find("ConfigMap", DashboardName));
        var map = (await WaveletChart.RenderAsync(DashboardOn)).Get("ConfigMap", DashboardName);
        Assert.Equal("monitoring", YamlValues.At(map, "metadata.namespace"));
        Assert.Equal("1", YamlValues.At(map, "metadata.labels.grafana_dashboard"));
        Assert.Equal("Wavelet", YamlValues.At(map, "metadata.annotations.grafana_folder"));

        var rendered = JsonNode.Parse((string)((IDictionary<string, object?>)map["data"]!)["wavelet.json"]!)!;
        Assert.True(JsonNode.DeepEquals(ChartMetrics.Dashboard(), rendered), "the ConfigMap holds files/dashboard.json as it is");
        var panels = rendered["panels"]!.AsArray();
        Assert.Equal(PanelTitles.Order(StringComparer.Ordinal), panels.Select(p => (string)p!["title"]!).Intersect(PanelTitles).Order(StringComparer.Ordinal));
        Assert.All(panels, p => Assert.All(p!["targets"]!.AsArray(), t => Assert.Matches(MetricName(), (string)t!["expr"]!)));
        Assert.Contains(ChartMetrics.Named(), n => n == "wavelet_operator_projects");
    }

    [KubeToolsFact]
    public async Task The_operator_pod_gets_the_OTLP_variables_only_when_an_endpoint_is_set()
    {
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", OperatorEnv(await WaveletChart.RenderAsync()).Keys);
        var env = OperatorEnv(await WaveletChart.RenderAsync("metrics: {otlp: {endpoint: 'http://collector:4318', protocol: http/protobuf}}"));
        Assert.Equal("http://collector:4318", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
    }

    private static Dictionary<string, object?> OperatorEnv(RenderedManifests manifests)
    {
        var container = ((List<object?>)YamlValues.At(manifests.Single("Deployment"), "spec.template.spec.containers")!).Cast<IDictionary<string, object?>>().Single();
        return ((List<object?>)container["env"]!).Cast<IDictionary<string, object?>>().ToDictionary(e => (string)e["name"]!, e => e.TryGetValue("value", out var value) ? value : null, StringComparer.Ordinal);
    }

    private static async Task<List<object?>> GroupsAsync()
    {
        var rule = (await WaveletChart.RenderAsync(RuleOn)).OfKind("PrometheusRule").Single();
        return [.. (IEnumerable<object?>)YamlValues.At(rule, "spec.groups")!];
    }

    [GeneratedRegex(@"\bwavelet_[a-z_]+")]
    private static partial Regex MetricName();
}

/// <summary>A fact that needs promtool (Debian package prometheus; .ci/run installs it); skipped with that line when absent.</summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "promtool")));
        if (!onPath)
        {
            Skip = "promtool is not installed (apt-get install prometheus)";
        }
        else if (KubeTools.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
