using Wavelet.Api.DataPlane;

namespace Wavelet.Operator.Tests.EndToEnd;

/// <summary>The real operator host against the fake API server and the RisingWave simulator.</summary>
public sealed class ReconcileEndToEndTests(RisingWaveFixture rw) : OperatorEndToEndTest(rw)
{
    [Fact]
    public async Task Leaderboard_becomes_schema_objects_children_and_Ready_once_the_deployment_is_available()
    {
        await H.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("board");
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));

        var synced = await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True, "Synced");
        Assert.Equal("wavelet_sub_leaderboard", Assert.Single(synced.Status!.Queries).Subscription);
        Assert.Equal(["player_id", "total"], synced.Status.Queries[0].Columns.Select(c => c.Name));
        Assert.Contains(ProjectAnnotations.Finalizer, synced.Metadata.Finalizers!);
        Assert.Equal(ConditionStatus.False, OperatorHarness.Condition(synced, ConditionTypes.Ready)!.Status);

        var schema = name.Replace('-', '_');
        await using (var db = Rw.CreateDataSource())
        await using (var cmd = db.CreateCommand($"SELECT count(*) FROM \"{schema}\".leaderboard"))
        {
            Assert.Equal(0L, Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        var workload = $"{name}-wavelet";
        var deployment = H.Child("apps", "deployments", workload)!;
        var service = H.Child("v1", "services", workload)!;
        var configMap = H.Child("v1", "configmaps", $"{name}-wavelet-config")!;
        foreach (var child in new[] { deployment, service, configMap })
        {
            var owner = child["metadata"]!["ownerReferences"]![0]!;
            Assert.Equal((synced.Metadata.Uid, true), (owner["uid"]!.GetValue<string>(), owner["controller"]!.GetValue<bool>()));
            Assert.Equal("wavelet-operator", child["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        }

        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.False(pod["automountServiceAccountToken"]!.GetValue<bool>());
        var security = pod["containers"]![0]!["securityContext"]!;
        Assert.True(security["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.False(security["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.Equal("ALL", security["capabilities"]!["drop"]![0]!.GetValue<string>());
        var config = KubernetesJson.Deserialize<DataPlaneConfig>(configMap["data"]![DataPlaneConfig.FileName]!.GetValue<string>())!;
        Assert.Equal(["player_id", "total"], config.Queries[0].Columns.Select(c => c.Name));

        H.MarkDeploymentAvailable(workload);
        var ready = await H.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.True, "Available");
        Assert.Equal(ready.Metadata.Generation, ready.Status!.ObservedGeneration);
        Assert.Equal(ConditionStatus.False, OperatorHarness.Condition(ready, ConditionTypes.Reconciling)!.Status);
        Assert.Equal($"http://{workload}.{OperatorHarness.Ns}.svc:8080", ready.Status.Endpoint);
    }

    [Fact]
    public async Task Adding_a_query_updates_the_configmap_without_a_restart_but_a_new_image_restarts()
    {
        await H.StartOperatorAsync();
        var name = await CreateSyncedLeaderboardAsync("hash");
        var workload = $"{name}-wavelet";
        string Hash() => H.Child("apps", "deployments", workload)!["spec"]!["template"]!["metadata"]!["annotations"]![RestartHash.Annotation]!.GetValue<string>();
        string Config() => H.Child("v1", "configmaps", $"{name}-wavelet-config")!["data"]![DataPlaneConfig.FileName]!.GetValue<string>();
        var before = Hash();

        await H.UpdateSpecAsync(name, spec => spec.Queries.Add(new QuerySpec { Name = "top_scores", Sql = "SELECT player_id, score FROM game_events WHERE score > 100" }));
        await Eventually.UntilAsync(() => Config().Contains("top_scores", StringComparison.Ordinal), "the ConfigMap lists the new query");
        Assert.Equal(before, Hash());

        await H.UpdateSpecAsync(name, spec => spec.DataPlane = new DataPlaneSpec { Image = "wavelet/dataplane:v2" });
        await Eventually.UntilAsync(() => Hash() != before, "a new image changes the restart hash");
        Assert.Equal("wavelet/dataplane:v2", H.Child("apps", "deployments", workload)!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_spec_stalls_without_retries()
    {
        var app = await H.StartOperatorAsync(resync: "01:00:00");
        var name = EndToEndProjects.UniqueName("bad");
        var project = EndToEndProjects.Leaderboard(name);
        project.Spec.Queries[0].Sql = "";
        await H.Projects.CreateAsync(project);

        var stalled = await H.WaitForConditionAsync(name, ConditionTypes.Stalled, ConditionStatus.True, "InvalidSpec");
        Assert.Contains("spec.queries[0].sql", OperatorHarness.Condition(stalled, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
        Assert.Equal(ConditionStatus.False, OperatorHarness.Condition(stalled, ConditionTypes.Ready)!.Status);
        var metrics = OperatorHarness.Metrics(app);
        await Eventually.UntilAsync(async () => await OperatorHarness.ScrapeAsync(app, "wavelet_operator_reconciles_total", ("result", "stalled")) >= 1, "the stalled reconcile is counted");
        Assert.Equal(0, await OperatorHarness.ScrapeAsync(app, "wavelet_operator_reconciles_total", ("result", "error")));
        Assert.Null(H.Child("apps", "deployments", $"{name}-wavelet"));
    }

    [Fact]
    public async Task Missing_secret_reports_SecretNotFound_then_recovers_when_it_appears()
    {
        await H.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("nosecret");
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name, secret: "later"));

        var waiting = await H.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.False, "SecretNotFound");
        Assert.Contains("Secret \"later\"", OperatorHarness.Condition(waiting, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        Assert.Equal(ConditionStatus.True, OperatorHarness.Condition(waiting, ConditionTypes.Reconciling)!.Status);

        await H.CreateSecretAsync("later", "url", Rw.Url);
        await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True, "Synced");
    }

    [Fact]
    public async Task Unreachable_database_reports_RisingWaveUnreachable_then_recovers()
    {
        await H.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("down");
        await H.CreateSecretAsync("down", "url", "postgres://root@127.0.0.1:1/dev");
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name, secret: "down"));

        var down = await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.False, "RisingWaveUnreachable");
        Assert.Contains("cannot connect to RisingWave", OperatorHarness.Condition(down, ConditionTypes.DdlSynced)!.Message, StringComparison.Ordinal);

        var secret = (await H.Secrets.GetAsync(OperatorHarness.Ns, "down"))!;
        secret.StringData = new Dictionary<string, string> { ["url"] = Rw.Url };
        secret.Data = null;
        await H.Secrets.ReplaceAsync(secret);
        await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True, "Synced");
    }

    [Fact]
    public async Task FilterBy_typo_is_DdlFailed_naming_the_columns()
    {
        await H.StartOperatorAsync();
        await H.CreateSecretAsync("jwt", "key", "0123456789abcdef0123456789abcdef");
        var name = EndToEndProjects.UniqueName("typo");
        var project = EndToEndProjects.Leaderboard(name);
        project.Spec.Queries[0].FilterBy = "player";
        project.Spec.Auth = new AuthSpec { Jwt = new JwtSpec { SecretRef = new SecretKeySelector { Name = "jwt", Key = "key" } } };
        await H.Projects.CreateAsync(project);

        var failed = await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.False, "DdlFailed");
        var message = OperatorHarness.Condition(failed, ConditionTypes.DdlSynced)!.Message;
        Assert.Contains("\"player\"", message, StringComparison.Ordinal);
        Assert.Contains("player_id, total", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Converged_project_makes_no_api_writes_and_no_ddl_over_several_resyncs()
    {
        var app = await H.StartOperatorAsync(resync: "00:00:01");
        var name = await CreateSyncedLeaderboardAsync("idle");
        H.MarkDeploymentAvailable($"{name}-wavelet");
        await H.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.True);

        var metrics = OperatorHarness.Metrics(app);
        var settledReconciles = await OperatorHarness.ScrapeAsync(app, "wavelet_operator_reconciles_total", ("result", "success"));
        await Eventually.UntilAsync(async () => await OperatorHarness.ScrapeAsync(app, "wavelet_operator_reconciles_total", ("result", "success")) >= settledReconciles + 1, "one more resync settles");
        var mark = H.Server.Requests.Mark();
        var ddlBefore = DdlStatements();
        var start = await OperatorHarness.ScrapeAsync(app, "wavelet_operator_reconciles_total", ("result", "success"));
        await Eventually.UntilAsync(async () => await OperatorHarness.ScrapeAsync(app, "wavelet_operator_reconciles_total", ("result", "success")) >= start + 3, "three resyncs ran");

        var writes = H.Server.Requests.Since(mark).Where(r => r.IsWrite).Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.Empty(writes);
        Assert.Equal(ddlBefore, DdlStatements());
    }

    [Fact]
    public async Task Deleted_mv_is_recreated_on_resync_and_an_edited_deployment_is_corrected()
    {
        await H.StartOperatorAsync(resync: "00:00:01");
        var name = await CreateSyncedLeaderboardAsync("drift");
        var schema = name.Replace('-', '_');

        await using (var db = Rw.CreateDataSource())
        {
            await using var drop = db.CreateCommand($"DROP SUBSCRIPTION \"{schema}\".wavelet_sub_leaderboard; DROP MATERIALIZED VIEW \"{schema}\".leaderboard");
            await drop.ExecuteNonQueryAsync();
            await Eventually.UntilAsync(async () =>
            {
                try
                {
                    await using var probe = db.CreateCommand($"SELECT count(*) FROM \"{schema}\".leaderboard");
                    await probe.ExecuteScalarAsync();
                    return true;
                }
                catch (PostgresException)
                {
                    return false;
                }
            }, "the resync recreates the dropped MV");
        }

        var workload = $"{name}-wavelet";
        var deployment = H.Child("apps", "deployments", workload)!;
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "evil/image:1";
        H.Server.PutObject("apps", "deployments", deployment);
        await Eventually.UntilAsync(
            () => H.Child("apps", "deployments", workload)!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>() == "wavelet/dataplane:test",
            "the operator restores the image");
    }

    [Theory]
    [InlineData(DeletionPolicies.Delete, false)]
    [InlineData(DeletionPolicies.Retain, true)]
    public async Task Deletion_policy_decides_whether_schema_objects_survive_and_the_finalizer_is_released(string policy, bool survives)
    {
        await H.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("del");
        var project = EndToEndProjects.Leaderboard(name);
        project.Spec.DeletionPolicy = policy;
        await H.Projects.CreateAsync(project);
        await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True);

        await H.Projects.DeleteAsync(OperatorHarness.Ns, name);
        await Eventually.UntilAsync(async () => await H.Projects.GetAsync(OperatorHarness.Ns, name) is null, "the finalizer is released and the project is gone");

        await using var db = Rw.CreateDataSource();
        await using var cmd = db.CreateCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'game_events'");
        cmd.Parameters.AddWithValue(name.Replace('-', '_'));
        var count = Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(survives ? 1L : 0L, count);
    }

    private int DdlStatements() => Rw.Simulator!.Statements.Count(s =>
        s.Sql.TrimStart().StartsWith("CREATE", StringComparison.OrdinalIgnoreCase)
        || s.Sql.TrimStart().StartsWith("DROP", StringComparison.OrdinalIgnoreCase)
        || s.Sql.TrimStart().StartsWith("ALTER", StringComparison.OrdinalIgnoreCase));
}
