using Wavelet.Deploy.Tests.Helm;

namespace Wavelet.Deploy.Tests;

public sealed class ChartTemplateTests
{
    private static readonly HelmChart Chart = HelmChart.Load();

    private static readonly IDictionary<string, object?> EverythingOn = (IDictionary<string, object?>)YamlValues.LoadDocuments("""
        imagePullSecrets: [{name: regcred}]
        watchNamespaces: [team-a, team-b]
        commonLabels: {team: platform}
        podLabels: {tier: control}
        podAnnotations: {owner: "platform@example.com"}
        serviceAccount: {create: true, annotations: {iam.example.com/role: wavelet}}
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{key: dedicated, operator: Equal, value: control, effect: NoSchedule}]
        affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a, b]}]}]}}}
        priorityClassName: system-cluster-critical
        metrics:
          service: {enabled: true, annotations: {a: b}}
          serviceMonitor: {enabled: true, labels: {release: prom}}
          podMonitor: {enabled: true, labels: {release: prom}}
        """).Single()!;

    [Fact]
    public void Every_template_renders_to_valid_yaml_with_defaults_and_with_every_option_on()
    {
        var defaults = Chart.RenderObjects();
        var full = Chart.RenderObjects(EverythingOn);

        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "Deployment", "Role", "RoleBinding", "Service", "ServiceAccount"],
            defaults.Select(o => (string)o["kind"]!).Order(StringComparer.Ordinal));
        Assert.Contains(full, o => (string)o["kind"]! == "ServiceMonitor");
        Assert.Contains(full, o => (string)o["kind"]! == "PodMonitor");
        Assert.All(full, o => Assert.Equal("platform", YamlValues.At(o, "metadata.labels.team")));
    }

    [Fact]
    public void Operator_pods_run_with_the_restricted_security_profile_and_probes()
    {
        var deployment = Single("Deployment");
        var pod = YamlValues.At(deployment, "spec.template.spec");
        var container = (IDictionary<string, object?>)((IList<object?>)YamlValues.At(pod, "containers")!)[0]!;

        Assert.Equal(true, YamlValues.At(pod, "securityContext.runAsNonRoot"));
        Assert.Equal("RuntimeDefault", YamlValues.At(pod, "securityContext.seccompProfile.type"));
        Assert.Equal(false, YamlValues.At(container, "securityContext.allowPrivilegeEscalation"));
        Assert.Equal(true, YamlValues.At(container, "securityContext.readOnlyRootFilesystem"));
        Assert.Equal(new List<object?> { "ALL" }, YamlValues.At(container, "securityContext.capabilities.drop"));
        Assert.Equal("/healthz", YamlValues.At(container, "livenessProbe.httpGet.path"));
        Assert.Equal("/readyz", YamlValues.At(container, "readinessProbe.httpGet.path"));
        Assert.Equal("ghcr.io/risingwavelabs/wavelet-operator:0.1.0", YamlValues.At(container, "image"));
    }

    [Fact]
    public void Operator_settings_reach_the_container_environment()
    {
        var deployment = Single("Deployment", EverythingOn);
        var container = (IDictionary<string, object?>)((IList<object?>)YamlValues.At(deployment, "spec.template.spec.containers")!)[0]!;
        var env = ((IList<object?>)container["env"]!).Cast<IDictionary<string, object?>>()
            .Where(e => e.ContainsKey("value")).ToDictionary(e => (string)e["name"]!, e => e["value"]?.ToString());

        Assert.Equal(new List<object?> { "--watch-namespaces=team-a,team-b" }, container["args"]);
        Assert.False(env.ContainsKey("Operator__WatchNamespaces"));
        Assert.Equal("true", env["Operator__LeaderElection__Enabled"]);
        Assert.Equal("wavelet-operator-leader", env["Operator__LeaderElection__LeaseName"]);
        Assert.Equal("ghcr.io/risingwavelabs/wavelet-dataplane:0.1.0", env["Operator__DataPlaneImage"]);
        Assert.Equal("10m", env["Operator__ResyncPeriod"]);
    }

    [Fact]
    public void Rbac_and_service_account_can_be_left_to_the_cluster_admin()
    {
        var objects = Chart.RenderObjects(new Dictionary<string, object?>
        {
            ["rbac"] = new Dictionary<string, object?> { ["create"] = false },
            ["serviceAccount"] = new Dictionary<string, object?> { ["create"] = false, ["name"] = "preexisting" },
        });

        Assert.DoesNotContain(objects, o => ((string)o["kind"]!).Contains("Role", StringComparison.Ordinal));
        Assert.DoesNotContain(objects, o => (string)o["kind"]! == "ServiceAccount");
        Assert.Equal("preexisting", YamlValues.At(objects.Single(o => (string)o["kind"]! == "Deployment"), "spec.template.spec.serviceAccountName"));
    }

    [Fact]
    public void Notes_tell_the_user_how_to_upgrade_the_crd_and_create_a_project()
    {
        var notes = Chart.RenderNotes();
        Assert.Contains("kubectl apply --server-side -f", notes, StringComparison.Ordinal);
        Assert.Contains("kubectl apply -f examples/leaderboard.yaml", notes, StringComparison.Ordinal);
        Assert.Contains("rollout status deployment/wavelet", notes, StringComparison.Ordinal);
    }

    private static IDictionary<string, object?> Single(string kind, IDictionary<string, object?>? overrides = null) =>
        Chart.RenderObjects(overrides).Single(o => (string)o["kind"]! == kind);
}
