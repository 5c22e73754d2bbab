using Wavelet.Testing.Tools;

namespace Wavelet.Testing.Tests.Kubernetes;

/// <summary>
/// Every x-kubernetes-validations rule of the WaveletProject CRD is evaluated by the fake API server: the CRD from
/// crds/ is installed as YAML, and one project breaking each rule is refused with the rule's message.
/// </summary>
public sealed class WaveletProjectRulesTests : FakeApiTest
{
    private const string Projects = "/apis/wavelet.risingwave.com/v1alpha1/namespaces/default/waveletprojects";
    private const string Valid = """
        apiVersion: wavelet.risingwave.com/v1alpha1
        kind: WaveletProject
        metadata: {name: p}
        spec:
          risingwave: {connectionSecretRef: {name: rw, key: url}}
          events: [{name: game_events, columns: [{name: score, type: int}]}]
          queries: [{name: leaderboard, sql: SELECT 1}]
        """;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var crd = await File.ReadAllTextAsync(RepositoryRoot.Combine("crds", "waveletprojects.wavelet.risingwave.com.yaml"));
        Assert.Equal(201, (await Api.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd, "application/yaml")).Status);
    }

    [Fact]
    public async Task A_valid_project_is_accepted()
    {
        var created = await Api.PostAsync(Projects + "?dryRun=All", Valid, "application/yaml");
        Assert.Equal(201, created.Status);
    }

    [Theory]
    [InlineData("risingwave: {connectionSecretRef: {name: rw, key: url}}", "risingwave: {connectionSecretRef: {name: rw, key: url}, schema: pg_mine}", "spec.risingwave.schema", "schema must not be public, a system schema or start with _wavelet")]
    [InlineData("events: [{name: game_events,", "events: [{name: _wavelet_x,", "spec.events[0].name", "event names must not start with the reserved prefix _wavelet")]
    [InlineData("queries: [{name: leaderboard,", "queries: [{name: _wavelet_q,", "spec.queries[0].name", "query names must not start with the reserved prefix _wavelet")]
    [InlineData("queries: [{name: leaderboard,", "queries: [{name: game_events,", "spec.queries", "event and query names must be distinct")]
    [InlineData("  queries:", "  auth: {jwt: {}}\n  queries:", "spec.auth.jwt", "jwt needs secretRef (an HS256 key) or jwksUrl (a JWKS document)")]
    [InlineData("  queries:", "  dataPlane: {podDisruptionBudget: {minAvailable: 1, maxUnavailable: 1}}\n  queries:", "spec.dataPlane.podDisruptionBudget", "set only one of minAvailable and maxUnavailable")]
    [InlineData("  queries:", "  dataPlane: {autoscaling: {minReplicas: 5, maxReplicas: 2}}\n  queries:", "spec.dataPlane.autoscaling.minReplicas", "minReplicas must not exceed maxReplicas")]
    public async Task Each_rule_refuses_the_project_that_breaks_it(string valid, string broken, string field, string message)
    {
        var project = Valid.Replace(valid, broken, StringComparison.Ordinal);
        Assert.NotEqual(Valid, project);
        var refused = await Api.PostAsync(Projects, project, "application/yaml");
        Assert.Equal(422, refused.Status);
        Assert.Contains(refused.Body["details"]!["causes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == field && c["message"]!.GetValue<string>().Contains(message, StringComparison.Ordinal));
        Assert.Equal(404, (await Api.GetAsync(Projects + "/p")).Status);
    }
}
