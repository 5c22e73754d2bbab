namespace Wavelet.Deploy.Tests;

public sealed class ChartValuesTests
{
    /// <summary>values.schema.json as helm enforces it: install, upgrade and template refuse the values with these lines.</summary>
    [KubeToolsTheory]
    [InlineData("replicas: 3", "- at '': additional properties 'replicas' not allowed")]
    [InlineData("replicaCount: 0", "- at '/replicaCount': minimum: got 0, want 1")]
    [InlineData("image: {repository: x, pullPolicy: Sometimes}", "- at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'")]
    [InlineData("leaderElection: {enabled: yes-please, leaseName: l}", "- at '/leaderElection/enabled': got string, want boolean")]
    [InlineData("watchNamespaces: [Team_A]", "- at '/watchNamespaces/0': 'Team_A' does not match pattern")]
    [InlineData("resyncPeriod: ten minutes", "- at '/resyncPeriod': 'ten minutes' does not match pattern")]
    public async Task Helm_refuses_values_the_schema_rejects_naming_the_bad_value(string values, string expected)
    {
        var template = await WaveletChart.TemplateAsync(values);
        var lint = await WaveletChart.LintStrictAsync(values);

        Assert.False(template.Succeeded, "helm template accepted " + values);
        Assert.Equal("", template.Output);
        Assert.Contains("values don't meet the specifications of the schema(s)", template.Error, StringComparison.Ordinal);
        Assert.Contains(expected, template.Error, StringComparison.Ordinal);
        Assert.False(lint.Succeeded, "helm lint --strict accepted " + values);
        Assert.Contains(expected, lint.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_values_key_is_documented_by_a_comment_above_it()
    {
        var lines = File.ReadAllLines(Path.Combine(WaveletChart.Directory, "values.yaml"));
        var undocumented = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var isTopLevelKey = lines[i].Length > 0 && char.IsLetter(lines[i][0]) && lines[i].Contains(':', StringComparison.Ordinal);
            if (isTopLevelKey && (i == 0 || !lines[i - 1].TrimStart().StartsWith('#')))
            {
                undocumented.Add(lines[i]);
            }
        }

        Assert.Empty(undocumented);
    }
}
