using System.Diagnostics;
using System.Text.RegularExpressions;
using Wavelet.DataPlane.Observability;
using Wavelet.Operator.Observability;
using Wavelet.Testing;
using Wavelet.Testing.Tools;
using YamlDotNet.Serialization;

namespace Wavelet.Operator.Tests.Chart;

/// <summary>The chart's optional PrometheusRule: valid for promtool, and every metric it names is one the processes export.</summary>
public sealed partial class ChartAlertsTests
{
    private const string RuleOn = "metrics: {prometheusRule: {enabled: true, labels: {release: kube-prometheus}}}";

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
