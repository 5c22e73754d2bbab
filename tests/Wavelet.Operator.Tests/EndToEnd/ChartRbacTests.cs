using Wavelet.Testing.Tools;

namespace Wavelet.Operator.Tests.EndToEnd;

/// <summary>
/// The chart grants exactly what the operator calls: a whole project lifecycle runs against the fake API server, and
/// every request the operator made must be allowed, in the namespace it went to, by the ClusterRole/Roles the chart
/// renders (real helm) — and every granted verb used. Once with the default values (cluster-wide) and once with
/// watchNamespaces, where only namespaced Roles exist.
/// </summary>
public sealed class ChartRbacTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    private const string OperatorToken = "operator-under-rbac-test";

    /// <summary>Granted for paths a single lifecycle does not reach; each with the reason it is needed.</summary>
    private static readonly Dictionary<string, string> GrantedButRare = new(StringComparer.Ordinal)
    {
        ["wavelet.risingwave.com/waveletprojects/finalizers:update"] = "OwnerReferencesPermissionEnforcement: blockOwnerDeletion on children",
        ["/events:patch"] = "aggregating a repeated event",
        ["coordination.k8s.io/leases:update"] = "renewing and releasing the Lease; a short lifecycle can end before the first renewal",
        ["/configmaps:get"] = "children are read from the informer cache; GET is the fallback before it has synced",
        ["/services:get"] = "children are read from the informer cache; GET is the fallback before it has synced",
        ["apps/deployments:get"] = "children are read from the informer cache; GET is the fallback before it has synced (and spec.suspend reads it)",
        ["policy/poddisruptionbudgets:get"] = "children are read from the informer cache; GET is the fallback before it has synced",
        ["autoscaling/horizontalpodautoscalers:get"] = "children are read from the informer cache; GET is the fallback before it has synced",
    };

    [KubeToolsTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chart_rbac_allows_every_call_of_a_full_lifecycle_and_grants_nothing_unused(bool watchNamespaces)
    {
        // The release goes to the operator's namespace, where its Lease lives.
        var rendered = await Helm.RenderAsync(WaveletChart.Directory, WaveletChart.Release, OperatorHarness.Ns, watchNamespaces ? $"watchNamespaces: [{OperatorHarness.Ns}]" : null);
        var rules = Rules(rendered);
        Assert.NotEmpty(rules);
        Assert.DoesNotContain(rules, r => r.Groups.Contains("*") || r.Resources.Contains("*") || r.Verbs.Contains("*"));
        if (watchNamespaces)
        {
            Assert.DoesNotContain(rules, r => r.Namespace is null);
        }

        var h = await OperatorHarness.StartAsync();
        await h.CreateSecretAsync("rw", "url", rw.Url);
        await h.StartOperatorAsync(leaderElection: true, token: OperatorToken, watchNamespaces: watchNamespaces ? OperatorHarness.Ns : null);

        var name = EndToEndProjects.UniqueName("rbac");
        var project = EndToEndProjects.Leaderboard(name);
        project.Spec.DeletionPolicy = DeletionPolicies.Delete;
        project.Spec.DataPlane = new DataPlaneSpec
        {
            PodDisruptionBudget = new PodDisruptionBudgetSettings { Enabled = true },
            Autoscaling = new AutoscalingSettings { MinReplicas = 2, MaxReplicas = 4 },
        };
        await h.Projects.CreateAsync(project);
        await h.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True);
        h.MarkDeploymentAvailable($"{name}-wavelet");
        await h.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.True);

        await h.UpdateSpecAsync(name, spec => spec.DataPlane = new DataPlaneSpec());
        await Eventually.UntilAsync(() => h.Child("policy", "poddisruptionbudgets", $"{name}-wavelet") is null, "the PDB is removed");
        await h.Projects.DeleteAsync(OperatorHarness.Ns, name);
        await Eventually.UntilAsync(async () => await h.Projects.GetAsync(OperatorHarness.Ns, name) is null, "the project is deleted");

        // Stopping the operator releases its Lease: those calls must be allowed too.
        await h.DisposeAsync();
        var calls = h.Server.Requests.All.Where(r => r.BearerToken == OperatorToken && !r.Faulted).Select(ToCall).Distinct().ToList();
        Assert.NotEmpty(calls);
        var denied = calls.Where(c => !rules.Any(r => r.Allows(c))).Select(c => c.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.True(denied.Count == 0, "the chart's RBAC does not allow: " + string.Join(", ", denied));

        var used = calls.Select(c => c.Permission).ToHashSet(StringComparer.Ordinal);
        var granted = rules.SelectMany(r => r.Groups.SelectMany(g => r.Resources.SelectMany(res => r.Verbs.Select(v => $"{g}/{res}:{v}")))).Distinct();
        var unused = granted.Where(g => !used.Contains(g) && !GrantedButRare.ContainsKey(g)).ToList();
        Assert.True(unused.Count == 0, "the chart grants verbs the operator never used (remove them or justify them in GrantedButRare): " + string.Join(", ", unused));
    }

    /// <summary>One request as RBAC sees it: its namespace (null for a cluster-wide request) and "group/resource[/sub]:verb".</summary>
    private sealed record Call(string? Namespace, string Permission)
    {
        public override string ToString() => $"{Permission} in {Namespace ?? "all namespaces"}";
    }

    private static Call ToCall(FakeRequest request)
    {
        var parts = request.Path.Trim('/').Split('/');
        var (group, rest) = parts[0] == "api" ? ("", parts[2..]) : (parts[1], parts[3..]);
        string? ns = null;
        if (rest.Length > 2 && rest[0] == "namespaces")
        {
            ns = rest[1];
            rest = rest[2..];
        }

        var resource = rest.Length >= 3 ? $"{rest[0]}/{rest[2]}" : rest[0];
        var named = rest.Length >= 2;
        var verb = request.Method switch
        {
            "GET" when request.IsWatch => "watch",
            "GET" => named ? "get" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => named ? "delete" : "deletecollection",
            _ => request.Method.ToLowerInvariant(),
        };
        return new Call(ns, $"{group}/{resource}:{verb}");
    }

    /// <summary>A rule of a ClusterRole (<see cref="Namespace"/> null: every namespace) or of a Role in one namespace.</summary>
    private sealed record Rule(string? Namespace, List<string> Groups, List<string> Resources, List<string> Verbs)
    {
        public bool Allows(Call call)
        {
            var permission = call.Permission;
            var slash = permission.IndexOf('/', StringComparison.Ordinal);
            var colon = permission.LastIndexOf(':');
            return (Namespace is null || Namespace == call.Namespace)
                && Groups.Contains(permission[..slash]) && Resources.Contains(permission[(slash + 1)..colon]) && Verbs.Contains(permission[(colon + 1)..]);
        }
    }

    private static List<Rule> Rules(RenderedManifests rendered) =>
        [.. rendered.OfKind("ClusterRole").Concat(rendered.OfKind("Role"))
            .SelectMany(role => ((IList<object?>)role["rules"]!).Cast<IDictionary<string, object?>>().Select(rule => new Rule(
                RenderedManifests.KindOf(role) == "Role" ? (string)YamlValues.At(role, "metadata.namespace")! : null,
                Strings(rule, "apiGroups"), Strings(rule, "resources"), Strings(rule, "verbs"))))];

    private static List<string> Strings(IDictionary<string, object?> rule, string key) =>
        ((IList<object?>)rule[key]!).Select(v => (string)v!).ToList();
}
