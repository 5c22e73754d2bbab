namespace Wavelet.Deploy.Tests;

/// <summary>The chart as its users get it: rendered and linted by the real helm (scripts/fetch-kube-tools.sh).</summary>
public sealed class ChartTemplateTests
{
    private const string EverythingOn = """
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
        networkPolicy: {dataPlaneEgress: {enabled: true}}
        dataPlane: {image: "ghcr.io/risingwavelabs/wavelet-dataplane@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", allowPrivateEgress: true}
        """;

    [KubeToolsTheory]
    [InlineData(null)]
    [InlineData(EverythingOn)]
    public async Task Helm_lint_strict_is_clean_with_defaults_and_with_every_option_on(string? values)
    {
        var lint = await WaveletChart.LintStrictAsync(values);

        Assert.True(lint.Succeeded, $"helm lint --strict failed:\n{lint.Output}{lint.Error}");
        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", lint.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("[WARNING]", lint.Output, StringComparison.Ordinal);
    }

    [KubeToolsFact]
    public async Task Every_template_renders_to_valid_yaml_with_defaults_and_with_every_option_on()
    {
        var defaults = await WaveletChart.RenderAsync();
        var full = await WaveletChart.RenderAsync(EverythingOn);

        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "Deployment", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount"],
            defaults.Kinds.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["Deployment", "NetworkPolicy", "NetworkPolicy", "PodDisruptionBudget", "PodMonitor", "Role", "Role", "Role", "RoleBinding", "RoleBinding", "RoleBinding", "Service", "ServiceAccount", "ServiceMonitor"],
            full.Kinds.Order(StringComparer.Ordinal));
        Assert.Single(full.OfKind("ServiceMonitor"));
        Assert.Single(full.OfKind("PodMonitor"));
        Assert.All(full.Documents, o => Assert.Equal("platform", YamlValues.At(o, "metadata.labels.team")));
    }

    [KubeToolsFact]
    public async Task Secrets_are_readable_only_by_name_and_with_watchNamespaces_only_in_those_namespaces()
    {
        static IEnumerable<IDictionary<string, object?>> SecretRules(IDictionary<string, object?> role) =>
            ((IList<object?>)role["rules"]!).Cast<IDictionary<string, object?>>().Where(r => ((IList<object?>)r["resources"]!).Contains("secrets"));

        // Cluster-wide by default, but only get: the operator never lists or watches Secrets.
        var defaults = await WaveletChart.RenderAsync();
        var clusterRule = Assert.Single(SecretRules(defaults.Single("ClusterRole")));
        Assert.Equal(new List<object?> { "get" }, clusterRule["verbs"]);

        // With watchNamespaces: no ClusterRole at all; a Role with the same rules in each watched namespace.
        var scoped = await WaveletChart.RenderAsync("watchNamespaces: [team-a, team-b]");
        Assert.Empty(scoped.OfKind("ClusterRole"));
        Assert.Empty(scoped.OfKind("ClusterRoleBinding"));
        var roles = scoped.OfKind("Role").Where(r => SecretRules(r).Any()).ToList();
        Assert.Equal(["team-a", "team-b"], roles.Select(r => (string)YamlValues.At(r, "metadata.namespace")!).Order(StringComparer.Ordinal));
        Assert.All(roles, r => Assert.Equal(new List<object?> { "get" }, Assert.Single(SecretRules(r))["verbs"]));
        Assert.Equal(
            ["team-a", "team-b", WaveletChart.Namespace],
            scoped.OfKind("RoleBinding").Select(b => (string)YamlValues.At(b, "metadata.namespace")!).Order(StringComparer.Ordinal));
    }

    [KubeToolsFact]
    public async Task Operator_pods_run_with_the_restricted_security_profile_and_probes()
    {
        var deployment = (await WaveletChart.RenderAsync()).Get("Deployment", "wavelet");
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

    [KubeToolsFact]
    public async Task Operator_settings_reach_the_container_environment()
    {
        var deployment = (await WaveletChart.RenderAsync(EverythingOn)).Single("Deployment");
        var container = (IDictionary<string, object?>)((IList<object?>)YamlValues.At(deployment, "spec.template.spec.containers")!)[0]!;
        var env = ((IList<object?>)container["env"]!).Cast<IDictionary<string, object?>>()
            .Where(e => e.ContainsKey("value")).ToDictionary(e => (string)e["name"]!, e => e["value"]?.ToString());

        Assert.Equal(new List<object?> { "--watch-namespaces=team-a,team-b" }, container["args"]);
        Assert.False(env.ContainsKey("Operator__WatchNamespaces"));
        Assert.Equal("true", env["Operator__LeaderElection__Enabled"]);
        Assert.Equal("wavelet-operator-leader", env["Operator__LeaderElection__LeaseName"]);
        Assert.Equal("ghcr.io/risingwavelabs/wavelet-dataplane@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", env["Operator__DataPlaneImage"]);
        Assert.Equal("true", env["Operator__DataPlaneAllowPrivateEgress"]);
        Assert.Equal("10m", env["Operator__ResyncPeriod"]);
    }

    [KubeToolsFact]
    public async Task Operator_replicas_have_a_disruption_budget_and_spread_over_nodes()
    {
        var defaults = await WaveletChart.RenderAsync();
        var pdb = defaults.Single("PodDisruptionBudget");
        Assert.Equal(1, Convert.ToInt32(YamlValues.At(pdb, "spec.maxUnavailable"), System.Globalization.CultureInfo.InvariantCulture));
        var podLabels = (IDictionary<string, object?>)YamlValues.At(defaults.Single("Deployment"), "spec.template.metadata.labels")!;
        var selector = (IDictionary<string, object?>)YamlValues.At(pdb, "spec.selector.matchLabels")!;
        Assert.All(selector, l => Assert.Equal(l.Value, podLabels[l.Key]));
        var preferred = (IList<object?>)YamlValues.At(defaults.Single("Deployment"), "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution")!;
        Assert.Equal("kubernetes.io/hostname", YamlValues.At(preferred[0], "podAffinityTerm.topologyKey"));
        Assert.Equal(selector, YamlValues.At(preferred[0], "podAffinityTerm.labelSelector.matchLabels"));

        var hard = await WaveletChart.RenderAsync("podAntiAffinity: hard");
        Assert.NotNull(YamlValues.At(hard.Single("Deployment"), "spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution"));

        // One replica: a budget of maxUnavailable 1 would still allow the drain, but there is nothing to spread.
        var single = await WaveletChart.RenderAsync("replicaCount: 1");
        Assert.Empty(single.OfKind("PodDisruptionBudget"));
        Assert.Null(YamlValues.At(single.Single("Deployment"), "spec.template.spec.affinity"));
    }

    [KubeToolsFact]
    public async Task The_optional_egress_policy_keeps_data_plane_pods_away_from_the_metadata_range_in_each_watched_namespace()
    {
        Assert.Empty((await WaveletChart.RenderAsync()).OfKind("NetworkPolicy"));
        var rendered = await WaveletChart.RenderAsync("""
            watchNamespaces: [team-a, team-b]
            networkPolicy: {dataPlaneEgress: {enabled: true, deniedCIDRs: [169.254.0.0/16, 10.0.0.0/8]}}
            """);
        var policies = rendered.OfKind("NetworkPolicy").ToList();
        Assert.Equal(["team-a", "team-b"], policies.Select(p => (string)YamlValues.At(p, "metadata.namespace")!).Order(StringComparer.Ordinal));
        foreach (var policy in policies)
        {
            var selected = (IDictionary<string, object?>)YamlValues.At(policy, "spec.podSelector.matchLabels")!;
            Assert.Equal("wavelet", selected["app.kubernetes.io/name"]);
            Assert.Equal("dataplane", selected["app.kubernetes.io/component"]);
            var rules = (IList<object?>)YamlValues.At(policy, "spec.egress")!;
            var ipv4 = (IList<object?>)YamlValues.At(rules[0], "to")!;
            Assert.Equal(new List<object?> { "169.254.0.0/16", "10.0.0.0/8" }, YamlValues.At(ipv4[0], "ipBlock.except"));
        }
    }

    [KubeToolsFact]
    public async Task Rbac_and_service_account_can_be_left_to_the_cluster_admin()
    {
        var rendered = await WaveletChart.RenderAsync("""
            rbac: {create: false}
            serviceAccount: {create: false, name: preexisting}
            """);

        Assert.DoesNotContain(rendered.Kinds, k => k.Contains("Role", StringComparison.Ordinal));
        Assert.DoesNotContain("ServiceAccount", rendered.Kinds);
        Assert.Equal("preexisting", YamlValues.At(rendered.Single("Deployment"), "spec.template.spec.serviceAccountName"));
    }

    [KubeToolsFact]
    public async Task Notes_tell_the_user_how_to_upgrade_the_crd_and_create_a_project()
    {
        var notes = await WaveletChart.NotesAsync();
        Assert.Contains("kubectl apply --server-side -f", notes, StringComparison.Ordinal);
        Assert.Contains("kubectl apply -f examples/leaderboard.yaml", notes, StringComparison.Ordinal);
        Assert.Contains("rollout status deployment/wavelet", notes, StringComparison.Ordinal);
    }
}
