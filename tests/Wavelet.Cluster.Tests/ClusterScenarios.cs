using System.Text.Json.Nodes;
using Wavelet.Testing;

namespace Wavelet.Cluster.Tests;

/// <summary>
/// The one scenario list: what a user does with kubectl and helm, run against the fake API server and against a real
/// cluster. Each scenario uses its own objects, so they can run in any order on one session.
/// </summary>
public static class ClusterScenarios
{
    private const string ExampleUrl = "postgres://root@risingwave-frontend.risingwave.svc:4566/dev";

    /// <summary>helm lint --strict, then install, upgrade and uninstall of the chart.</summary>
    public static async Task ChartInstallsUpgradesAndUninstallsAsync(ClusterSession session, ScenarioShell shell)
    {
        var lint = (await shell.HelmAsync("lint", "--strict", WaveletChart.Directory)).EnsureSuccess();
        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", lint.Output, StringComparison.Ordinal);

        // The release's own operator watches only its namespace, so on a real cluster it leaves the scenarios' projects alone.
        var ns = session.Backend.IsFake ? "wavelet-system" : $"wavelet-system-{Guid.NewGuid().ToString("N")[..6]}";
        var install = (await shell.HelmAsync("install", "wavelet", WaveletChart.Directory, "-n", ns, "--create-namespace", "--set", $"watchNamespaces[0]={ns}")).EnsureSuccess();
        Assert.Contains("STATUS: deployed", install.Output, StringComparison.Ordinal);
        Assert.Equal("2", (await shell.KubectlAsync("get", "deployment", "wavelet", "-n", ns, "-o", "jsonpath={.spec.replicas}")).EnsureSuccess().Output);

        var upgrade = (await shell.HelmAsync("upgrade", "wavelet", WaveletChart.Directory, "-n", ns, "--reuse-values", "--set", "replicaCount=3")).EnsureSuccess();
        Assert.Contains("REVISION: 2", upgrade.Output, StringComparison.Ordinal);
        Assert.Equal("3", (await shell.KubectlAsync("get", "deployment", "wavelet", "-n", ns, "-o", "jsonpath={.spec.replicas}")).EnsureSuccess().Output);
        Assert.Contains("deployed", (await shell.HelmAsync("list", "-n", ns)).EnsureSuccess().Output, StringComparison.Ordinal);

        var uninstall = (await shell.HelmAsync("uninstall", "wavelet", "-n", ns)).EnsureSuccess();
        Assert.Contains("release \"wavelet\" uninstalled", uninstall.Output, StringComparison.Ordinal);
        var gone = await shell.KubectlAsync("get", "deployment", "wavelet", "-n", ns);
        Assert.Contains("NotFound", gone.Error, StringComparison.Ordinal);
        (await shell.KubectlAsync("get", "crd", ClusterSession.CrdName)).EnsureSuccess(); // helm keeps CRDs on uninstall
        (await shell.KubectlAsync("delete", "namespace", ns)).EnsureSuccess();
    }

    /// <summary>kubectl's typed create commands (protobuf bodies) and reading back what they stored.</summary>
    public static async Task KubectlCreatesNamespaceSecretAndConfigMapAsync(ScenarioShell shell)
    {
        var ns = $"wavelet-create-{Guid.NewGuid().ToString("N")[..6]}";
        Assert.Contains($"namespace/{ns} created", (await shell.KubectlAsync("create", "namespace", ns)).EnsureSuccess().Output, StringComparison.Ordinal);
        Assert.Contains("secret/db created", (await shell.KubectlAsync("create", "secret", "generic", "db", "-n", ns, "--from-literal=url=postgres://x")).EnsureSuccess().Output, StringComparison.Ordinal);
        Assert.Contains("configmap/settings created", (await shell.KubectlAsync("create", "configmap", "settings", "-n", ns, "--from-literal=mode=fast")).EnsureSuccess().Output, StringComparison.Ordinal);

        var secret = (await shell.KubectlAsync("get", "secret", "db", "-n", ns, "-o", "jsonpath={.data.url}")).EnsureSuccess().Output;
        Assert.Equal("postgres://x", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(secret)));
        Assert.Equal("fast", (await shell.KubectlAsync("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.mode}")).EnsureSuccess().Output);
        var table = (await shell.KubectlAsync("get", "secrets,configmaps", "-n", ns)).EnsureSuccess().Output;
        Assert.Matches(@"secret/db\s+Opaque\s+1\s", table);
        (await shell.KubectlAsync("delete", "namespace", ns)).EnsureSuccess();
    }

    /// <summary>kubectl explain prints the descriptions of the CRD's schema.</summary>
    public static async Task KubectlExplainPrintsTheApiDescriptionsAsync(ScenarioShell shell)
    {
        var explain = (await shell.KubectlAsync("explain", "waveletproject.spec.queries")).EnsureSuccess().Output;
        var crd = YamlValues.LoadFile(RepositoryRoot.Combine("crds", $"{ClusterSession.CrdName}.yaml"));
        var version = ((IList<object?>)YamlValues.At(crd, "spec.versions")!)[0];
        var description = (string)YamlValues.At(version, "schema.openAPIV3Schema.properties.spec.properties.queries.description")!;
        Assert.Contains("KIND:       WaveletProject", explain, StringComparison.Ordinal);
        Assert.Contains("FIELD: queries <[]Object>", explain, StringComparison.Ordinal);
        // kubectl wraps descriptions at 80 columns; the opening words are on the first line.
        Assert.Contains(string.Join(' ', description.Split(' ').Take(6)), explain, StringComparison.Ordinal);
    }

    /// <summary>
    /// The leaderboard example from apply to delete: Ready, the printer columns, the operator's events, server-side apply
    /// that changes nothing the second time, a refused invalid project, and deletion through the finalizer.
    /// </summary>
    public static async Task LeaderboardExampleLifecycleAsync(ClusterSession session, ScenarioShell shell)
    {
        var ns = session.Namespace;
        var manifests = File.ReadAllText(RepositoryRoot.Combine("examples", "leaderboard.yaml")).Replace(ExampleUrl, session.RisingWaveUrl, StringComparison.Ordinal);
        var applied = (await shell.KubectlWithInputAsync(manifests, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        Assert.Contains("waveletproject.wavelet.risingwave.com/leaderboard created", applied.Output, StringComparison.Ordinal);
        Assert.Contains("secret/leaderboard-jwt created", applied.Output, StringComparison.Ordinal);

        var wait = await shell.KubectlAsync("wait", "--for=condition=Ready", "waveletproject/leaderboard", "-n", ns, "--timeout=120s");
        Assert.True(wait.Succeeded, $"{wait.Error}\noperator log:\n{session.OperatorLog}");
        Assert.Contains("condition met", wait.Output, StringComparison.Ordinal);

        var table = (await shell.KubectlAsync("get", "wavelets", "-n", ns)).EnsureSuccess().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+READY\s+REASON\s+QUERIES\s+REPLICAS\s+AGE$", table[0]);
        Assert.Matches(@"^leaderboard\s+True\s+\w+\s+1\s+\d+\s+\d+[smh]", table[1]);
        var wide = (await shell.KubectlAsync("get", "wavelets", "-n", ns, "-o", "wide")).EnsureSuccess().Output;
        Assert.Contains("ENDPOINT", wide, StringComparison.Ordinal);

        var describe = (await shell.KubectlAsync("describe", "waveletproject", "leaderboard", "-n", ns)).EnsureSuccess().Output;
        var events = describe[describe.IndexOf("\nEvents:", StringComparison.Ordinal)..]; // spec.events prints an indented "Events:" too
        Assert.Matches(@"Normal\s+CreateQuery\s+\S+\s+wavelet-operator\s+create query leaderboard", events);

        // Server-side apply: the first takes the fields over, the second changes nothing.
        var first = Json((await shell.KubectlWithInputAsync(manifests, "apply", "--server-side", "--force-conflicts", "-n", ns, "-f", "-", "-o", "json", "--show-managed-fields")).EnsureSuccess().Output);
        var second = Json((await shell.KubectlWithInputAsync(manifests, "apply", "--server-side", "-n", ns, "-f", "-", "-o", "json", "--show-managed-fields")).EnsureSuccess().Output);
        var before = Project(first);
        var after = Project(second);
        Assert.Equal(Generation(before), Generation(after));
        Assert.Equal(KubectlEntry(before)?.ToJsonString(), KubectlEntry(after)?.ToJsonString());
        Assert.NotNull(KubectlEntry(after));

        // An invalid project is refused by a server-side dry run with the CRD's validation messages, and nothing is stored.
        var invalid = manifests[manifests.IndexOf("apiVersion: wavelet.risingwave.com", StringComparison.Ordinal)..]
            .Replace("name: leaderboard\nspec:", "name: clash\nspec:", StringComparison.Ordinal)
            .Replace("  queries:\n    - name: leaderboard", "  queries:\n    - name: game_events", StringComparison.Ordinal);
        var refused = await shell.KubectlWithInputAsync(invalid, "apply", "--dry-run=server", "-n", ns, "-f", "-");
        Assert.False(refused.Succeeded);
        Assert.Contains("event and query names must be distinct", refused.Error, StringComparison.Ordinal);
        Assert.Contains("NotFound", (await shell.KubectlAsync("get", "waveletproject", "clash", "-n", ns)).Error, StringComparison.Ordinal);

        // Deletion runs the operator's finalizer; garbage collection removes the children.
        Assert.Equal("leaderboard-wavelet", (await shell.KubectlAsync("get", "deployment", "leaderboard-wavelet", "-n", ns, "-o", "jsonpath={.metadata.name}")).EnsureSuccess().Output);
        var deleted = (await shell.KubectlAsync("delete", "waveletproject", "leaderboard", "-n", ns, "--timeout=60s")).EnsureSuccess();
        Assert.Contains("waveletproject.wavelet.risingwave.com \"leaderboard\" deleted", deleted.Output, StringComparison.Ordinal);
        await Eventually.UntilAsync(
            async () => (await shell.KubectlAsync("get", "deployments,services,configmaps", "-n", ns, "-l", "app.kubernetes.io/instance=leaderboard", "-o", "name")).EnsureSuccess().Output.Length == 0,
            "the project's children are garbage collected", TimeSpan.FromSeconds(60));
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"not JSON: {text}");

    private static JsonObject Project(JsonObject applied) =>
        applied["kind"]?.GetValue<string>() == "List"
            ? applied["items"]!.AsArray().OfType<JsonObject>().Single(i => i["kind"]?.GetValue<string>() == "WaveletProject")
            : applied;

    private static string Generation(JsonObject project) => project["metadata"]!["generation"]!.ToJsonString();

    private static JsonNode? KubectlEntry(JsonObject project) =>
        project["metadata"]!["managedFields"]?.AsArray().FirstOrDefault(e => e?["manager"]?.GetValue<string>() == "kubectl" && e["operation"]?.GetValue<string>() == "Apply");
}
