namespace Wavelet.Operator.Tests.EndToEnd;

/// <summary>Suspend, pause, Events, and deletion while the database is down.</summary>
public sealed class LifecycleEndToEndTests(RisingWaveFixture rw) : OperatorEndToEndTest(rw)
{
    [Fact]
    public async Task Ddl_actions_are_recorded_as_events()
    {
        await H.StartOperatorAsync();
        var name = await CreateSyncedLeaderboardAsync("events");

        var events = new TestObjects<Corev1Event>(H.Client);
        await Eventually.UntilAsync(async () =>
        {
            var reasons = (await events.ListAsync(OperatorHarness.Ns)).Where(e => e.Message?.Contains(name.Replace('-', '_'), StringComparison.Ordinal) == true).Select(e => e.Reason).ToHashSet();
            return reasons.Contains("CreateEvent") && reasons.Contains("CreateQuery") && reasons.Contains("CreateSubscription");
        }, "create events for the table, the MV and the subscription");
    }

    [Fact]
    public async Task A_refused_child_is_ApplyFailed_with_the_api_message_then_recovers()
    {
        await H.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("refused");
        H.Server.Faults.FailNext(1, 422,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Deployment.apps is invalid: spec.template.spec.containers[0].image: Required value","reason":"Invalid","code":422}""",
            match: r => r.Method == "PATCH" && r.Path.Contains("/deployments/", StringComparison.Ordinal));
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));

        var refused = await H.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.False, "ApplyFailed");
        Assert.Contains("containers[0].image: Required value", OperatorHarness.Condition(refused, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        await Eventually.UntilAsync(() => H.Child("apps", "deployments", $"{name}-wavelet") is not null, "the retry creates the Deployment");
        await H.WaitForConditionAsync(name, ConditionTypes.Reconciling, ConditionStatus.True, "RollingOut");
    }

    [Fact]
    public async Task Rotating_a_secret_rolls_the_pods_at_the_next_resync_and_pdb_hpa_follow_the_spec()
    {
        // Secrets are read when a project is reconciled, never watched: a rotation is seen at the next resync.
        await H.StartOperatorAsync(resync: "00:00:02");
        var name = EndToEndProjects.UniqueName("rotate");
        await H.CreateSecretAsync("rotating", "url", Rw.Url);
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name, secret: "rotating"));
        await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True);
        var workload = $"{name}-wavelet";
        string Hash() => H.Child("apps", "deployments", workload)!["spec"]!["template"]!["metadata"]!["annotations"]![Wavelet.Operator.Children.RestartHash.Annotation]!.GetValue<string>();
        var before = Hash();

        var secret = (await H.Secrets.GetAsync(OperatorHarness.Ns, "rotating"))!;
        secret.StringData = new Dictionary<string, string> { ["url"] = Rw.Url + "?application_name=rotated" };
        secret.Data = null;
        await H.Secrets.ReplaceAsync(secret);
        await Eventually.UntilAsync(() => Hash() != before, "the resync reads the rotated Secret and its new resourceVersion rolls the pods");

        await H.UpdateSpecAsync(name, spec => spec.DataPlane = new DataPlaneSpec
        {
            PodDisruptionBudget = new PodDisruptionBudgetSettings { Enabled = true },
            Autoscaling = new AutoscalingSettings { MaxReplicas = 4 },
        });
        await Eventually.UntilAsync(() => H.Child("policy", "poddisruptionbudgets", workload) is not null && H.Child("autoscaling", "horizontalpodautoscalers", workload) is not null, "PDB and HPA are created");
        Assert.Equal(4, H.Child("autoscaling", "horizontalpodautoscalers", workload)!["spec"]!["maxReplicas"]!.GetValue<int>());

        await H.UpdateSpecAsync(name, spec => spec.DataPlane = null);
        await Eventually.UntilAsync(() => H.Child("policy", "poddisruptionbudgets", workload) is null && H.Child("autoscaling", "horizontalpodautoscalers", workload) is null, "PDB and HPA are removed");
    }

    [Fact]
    public async Task Suspend_scales_to_zero_and_the_pause_annotation_freezes_everything()
    {
        await H.StartOperatorAsync();
        var name = await CreateSyncedLeaderboardAsync("pause");
        var workload = $"{name}-wavelet";

        await H.UpdateSpecAsync(name, spec => spec.Suspend = true);
        await H.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.False, "Suspended");
        await Eventually.UntilAsync(() => H.Child("apps", "deployments", workload)!["spec"]!["replicas"]!.GetValue<int>() == 0, "the data plane is scaled to zero");

        var project = await H.GetProjectAsync(name);
        project.Metadata.Annotations = new Dictionary<string, string> { [ProjectAnnotations.Reconcile] = ProjectAnnotations.ReconcileDisabled };
        project.Spec.Suspend = false;
        await H.Projects.ReplaceAsync(project);
        var paused = await H.GetProjectAsync(name);
        var mark = H.Server.Requests.Mark();

        // A later spec change must be ignored while paused, but the change after un-pausing must be applied.
        await H.UpdateSpecAsync(name, spec => spec.DataPlane = new DataPlaneSpec { Replicas = 3 });
        await Eventually.UntilAsync(() => H.Server.Requests.Since(mark).Count(r => r.Method == "GET" && r.Path.EndsWith($"/waveletprojects/{name}", StringComparison.Ordinal)) >= 3,
            "the operator looked at the paused project");
        Assert.Equal(0, H.Child("apps", "deployments", workload)!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(paused.Status!.ObservedGeneration, (await H.GetProjectAsync(name)).Status!.ObservedGeneration);

        var unpause = await H.GetProjectAsync(name);
        unpause.Metadata.Annotations!.Remove(ProjectAnnotations.Reconcile);
        await H.Projects.ReplaceAsync(unpause);
        await Eventually.UntilAsync(() => H.Child("apps", "deployments", workload)!["spec"]!["replicas"]!.GetValue<int>() == 3, "un-pausing applies the new replicas");
    }

    [Fact]
    public async Task Delete_with_an_unreachable_database_keeps_the_finalizer_until_force_released()
    {
        await H.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("stuck");
        await H.CreateSecretAsync("flaky", "url", Rw.Url);
        var project = EndToEndProjects.Leaderboard(name, secret: "flaky");
        project.Spec.DeletionPolicy = DeletionPolicies.Delete;
        await H.Projects.CreateAsync(project);
        await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True);

        var secret = (await H.Secrets.GetAsync(OperatorHarness.Ns, "flaky"))!;
        secret.StringData = new Dictionary<string, string> { ["url"] = "postgres://root@127.0.0.1:1/dev" };
        secret.Data = null;
        await H.Secrets.ReplaceAsync(secret);
        await H.Projects.DeleteAsync(OperatorHarness.Ns, name);

        var blocked = await H.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.False, "DeletionBlocked");
        var message = OperatorHarness.Condition(blocked, ConditionTypes.Ready)!.Message;
        Assert.Contains("cannot connect to RisingWave", message, StringComparison.Ordinal);
        Assert.Contains(ProjectAnnotations.ForceRelease, message, StringComparison.Ordinal);
        Assert.Contains(ProjectAnnotations.Finalizer, blocked.Metadata.Finalizers!);

        blocked.Metadata.Annotations = new Dictionary<string, string> { [ProjectAnnotations.ForceRelease] = "true" };
        await H.Projects.ReplaceAsync(blocked);
        await Eventually.UntilAsync(async () => await H.Projects.GetAsync(OperatorHarness.Ns, name) is null, "force-release lets the project go");

        await using var db = Rw.CreateDataSource();
        await using var cmd = db.CreateCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'game_events'");
        cmd.Parameters.AddWithValue(name.Replace('-', '_'));
        Assert.Equal(1L, Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
