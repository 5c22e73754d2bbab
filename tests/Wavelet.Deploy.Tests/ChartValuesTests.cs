using Wavelet.Deploy.Tests.Helm;

namespace Wavelet.Deploy.Tests;

public sealed class ChartValuesTests
{
    private static readonly HelmChart Chart = HelmChart.Load();
    private static readonly System.Text.Json.JsonElement Schema = ValuesSchema.Load(Path.Combine(Chart.Directory, "values.schema.json"));

    [Fact]
    public void Default_values_satisfy_the_schema()
    {
        Assert.Empty(ValuesSchema.Validate(Schema, Chart.DefaultValues));
    }

    [Theory]
    [InlineData("replicas: 3", "values.replicas: unknown key (not in values.schema.json)")]
    [InlineData("replicaCount: 0", "values.replicaCount: 0 is below the minimum 1")]
    [InlineData("image: {repository: x, pullPolicy: Sometimes}", "values.image.pullPolicy: Sometimes is not one of")]
    [InlineData("leaderElection: {enabled: yes-please, leaseName: l}", "values.leaderElection.enabled: expected boolean")]
    [InlineData("watchNamespaces: [Team_A]", "values.watchNamespaces[0]: \"Team_A\" does not match")]
    [InlineData("resyncPeriod: ten minutes", "values.resyncPeriod: \"ten minutes\" does not match")]
    public void Schema_rejects_mistakes_with_the_path_of_the_bad_value(string overrideYaml, string expected)
    {
        var overrides = (IDictionary<string, object?>)YamlValues.LoadDocuments(overrideYaml).Single()!;
        var errors = ValuesSchema.Validate(Schema, HelmChart.Merge(Chart.DefaultValues, overrides));
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_values_key_is_documented_by_a_comment_above_it()
    {
        var lines = File.ReadAllLines(Path.Combine(Chart.Directory, "values.yaml"));
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
