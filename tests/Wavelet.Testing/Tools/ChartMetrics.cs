using System.Text.RegularExpressions;

namespace Wavelet.Testing.Tools;

/// <summary>
/// The metrics the chart's monitoring queries: the PromQL of its alert rules (files/alerts.yaml) and of its Grafana
/// dashboard's panels (files/dashboard.json). Tests that scrape a real process check each one is served.
/// </summary>
public static partial class ChartMetrics
{
    private static readonly string Files = RepositoryRoot.Combine("charts", "wavelet-operator", "files");

    /// <summary>The expression of every alert rule.</summary>
    public static IEnumerable<string> RuleExpressions() =>
        ((List<object?>)YamlValues.LoadFile(System.IO.Path.Combine(Files, "alerts.yaml"))!).Cast<Dictionary<string, object?>>()
            .SelectMany(g => ((List<object?>)g["rules"]!).Cast<Dictionary<string, object?>>())
            .Select(r => (string)r["expr"]!);

    /// <summary>The dashboard as Grafana loads it.</summary>
    public static JsonNode Dashboard() => JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(Files, "dashboard.json")))!;

    /// <summary>The query of every panel target of <paramref name="dashboard"/>.</summary>
    public static IEnumerable<string> PanelExpressions(JsonNode dashboard) =>
        dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).Select(t => (string)t!["expr"]!);

    /// <summary>Every metric name the rules and panels use (histograms by their family name).</summary>
    public static IReadOnlyList<string> Named() =>
        [.. RuleExpressions().Concat(PanelExpressions(Dashboard())).SelectMany(e => MetricName().Matches(e).Select(m => m.Value))
            .Select(n => HistogramSeries().Replace(n, "")).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\bwavelet_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"_(bucket|sum|count)$")]
    private static partial Regex HistogramSeries();
}
