using System.Text.RegularExpressions;
using Wavelet.Operator.Observability;
using Wavelet.Operator.Status;

namespace Wavelet.Deploy.Tests;

/// <summary>The user docs keep up with the code: every condition reason and every operator metric is documented.</summary>
public sealed class DocsCoverageTests
{
    [Fact]
    public void Troubleshooting_explains_every_condition_reason_the_operator_sets()
    {
        var headings = File.ReadAllLines(RepositoryRoot.Combine("docs", "troubleshooting.md"))
            .Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l[3..].Trim()).ToHashSet(StringComparer.Ordinal);

        var missing = ConditionReasons.All.Where(r => !headings.Contains(r)).ToList();

        Assert.True(missing.Count == 0, "docs/troubleshooting.md has no '## <reason>' section for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Argo_cd_health_check_only_names_reasons_that_exist()
    {
        var script = File.ReadAllText(RepositoryRoot.Combine("examples", "gitops", "argocd", "waveletproject-health.lua"));
        var table = script[script.IndexOf("local degradedReasons", StringComparison.Ordinal)..script.IndexOf('}', script.IndexOf("local degradedReasons", StringComparison.Ordinal))];
        var named = Regex.Matches(table, @"(\w+) = true").Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(named);
        Assert.All(named, reason => Assert.True(ConditionReasons.All.Contains(reason) || reason == "FilterColumnMissing",
            $"the Argo CD health check names {reason}, which the operator never sets"));
    }

    [Fact]
    public async Task Operations_guide_lists_every_operator_metric()
    {
        var guide = File.ReadAllText(RepositoryRoot.Combine("docs", "operations.md"));
        using var metrics = new OperatorMetrics();
        var names = Regex.Matches(await metrics.RenderAsync(CancellationToken.None), @"^# HELP (\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Contains($"`{name}`", guide, StringComparison.Ordinal));
    }
}
