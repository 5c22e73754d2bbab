using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Tests.Kubernetes;
using Wavelet.Operator.Reconciliation;
using Wavelet.Testing;
using Wavelet.Testing.RisingWave;

namespace Wavelet.Operator.Tests.EndToEnd;

/// <summary>Suspend, pause, Events, and deletion while the database is down.</summary>
public sealed class LifecycleEndToEndTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    private OperatorHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await OperatorHarness.StartAsync();
        await _h.CreateSecretAsync("rw", "url", rw.Url);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Ddl_actions_are_recorded_as_events()
    {
        await _h.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("events");
        await _h.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));
        await _h.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True);

        var events = new TestObjects<Corev1Event>(_h.Client);
        await Eventually.UntilAsync(async () =>
        {
            var reasons = (await events.ListAsync(OperatorHarness.Ns)).Where(e => e.Message?.Contains(name.Replace('-', '_'), StringComparison.Ordinal) == true).Select(e => e.Reason).ToHashSet();
            return reasons.Contains("CreateEvent") && reasons.Contains("CreateQuery") && reasons.Contains("CreateSubscription");
        }, "create events for the table, the MV and the subscription");
    }

    [Fact]
    public async Task A_refused_child_is_ApplyFailed_with_the_api_message_then_recovers()
    {
        await _h.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("refused");
        _h.Server.Faults.FailNext(1, 422,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Deployment.apps is invalid: spec.template.spec.containers[0].image: Required value","reason":"Invalid","code":422}""",
            match: r => r.Method == "PATCH" && r.Path.Contains("/deployments/", StringComparison.Ordinal));
        await _h.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));

        var refused = await _h.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.False, "ApplyFailed");
        Assert.Contains("containers[0].image: Required value", OperatorHarness.Condition(refused, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        await Eventually.UntilAsync(() => _h.Child("apps", "deployments", $"{name}-wavelet") is not null, "the retry creates the Deployment");
        await _h.WaitForConditionAsync(name, ConditionTypes.Reconciling, ConditionStatus.True, "RollingOut");
    }

    [Fact]
    public async Task Rotating_a_secret_rolls_the_pods_at_the_next_resync_and_pdb_hpa_follow_the_spec()
    {
        // Secrets are read when a project is reconciled, never watched: a rotation is seen at the next resync.
        await _h.StartOperatorAsync(resync: "00:00:02");
        var name = EndToEndProjects.UniqueName("rotate");
        await _h.CreateSecretAsync("rotating", "url", rw.Url);
        await _h.Projects.CreateAsync(EndToEndProjects.Leaderboard(name, secret: "rotating"));
        await _h.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True);
        var workload = $"{name}-wavelet";
        string Hash() => _h.Child("apps", "deployments", workload)!["spec"]!["template"]!["metadata"]!["annotations"]![Wavelet.Operator.Children.RestartHash.Annotation]!.GetValue<string>();
        var before = Hash();

        var secret = (await _h.Secrets.GetAsync(OperatorHarness.Ns, "rotating"))!;
        secret.StringData = new Dictionary<string, string> { ["url"] = rw.Url + "?application_name=rotated" };
        secret.Data = null;
        await _h.Secrets.ReplaceAsync(secret);
        await Eventually.UntilAsync(() => Hash() != before, "the resync reads the rotated Secret and its new resourceVersion rolls the pods");

        await _h.UpdateSpecAsync(name, spec => spec.DataPlane = new DataPlaneSpec
        {
            PodDisruptionBudget = new PodDisruptionBudgetSettings { Enabled = true },
            Autoscaling = new AutoscalingSettings { MaxReplicas = 4 },
        });
        await Eventually.UntilAsync(() => _h.Child("policy", "poddisruptionbudgets", workload) is not null && _h.Child("autoscaling", "horizontalpodautoscalers", workload) is not null, "PDB and HPA are created");
        Assert.Equal(4, _h.Child("autoscaling", "horizontalpodautoscalers", workload)!["spec"]!["maxReplicas"]!.GetValue<int>());

        await _h.UpdateSpecAsync(name, spec => spec.DataPlane = null);
        await Eventually.UntilAsync(() => _h.Child("policy", "poddisruptionbudgets", workload) is null && _h.Child("autoscaling", "horizontalpodautoscalers", workload) is null, "PDB and HPA are removed");
    }

    [Fact]
    public async Task Suspend_scales_to_zero_and_the_pause_annotation_freezes_everything()
    {
        await _h.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("pause");
        await _h.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));
        await _h.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True);
        var workload = $"{name}-wavelet";

        await _h.UpdateSpecAsync(name, spec => spec.Suspend = true);
        await _h.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.False, "Suspended");
        await Eventually.UntilAsync(() => _h.Child("apps", "deployments", workload)!["spec"]!["replicas"]!.GetValue<int>() == 0, "the data plane is scaled to zero");

        var project = await _h.GetProjectAsync(name);
        project.Metadata.Annotations = new Dictionary<string, string> { [ProjectAnnotations.Reconcile] = ProjectAnnotations.ReconcileDisabled };
        project.Spec.Suspend = false;
        await _h.Projects.ReplaceAsync(project);
        var paused = await _h.GetProjectAsync(name);
        var mark = _h.Server.Requests.Mark();

        // A later spec change must be ignored while paused, but the change after un-pausing must be applied.
        await _h.UpdateSpecAsync(name, spec => spec.DataPlane = new DataPlaneSpec { Replicas = 3 });
        await Eventually.UntilAsync(() => _h.Server.Requests.Since(mark).Count(r => r.Method == "GET" && r.Path.EndsWith($"/waveletprojects/{name}", StringComparison.Ordinal)) >= 3,
            "the operator looked at the paused project");
        Assert.Equal(0, _h.Child("apps", "deployments", workload)!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(paused.Status!.ObservedGeneration, (await _h.GetProjectAsync(name)).Status!.ObservedGeneration);

        var unpause = await _h.GetProjectAsync(name);
        unpause.Metadata.Annotations!.Remove(ProjectAnnotations.Reconcile);
        await _h.Projects.ReplaceAsync(unpause);
        await Eventually.UntilAsync(() => _h.Child("apps", "deployments", workload)!["spec"]!["replicas"]!.GetValue<int>() == 3, "un-pausing applies the new replicas");
    }

    [Fact]
    public async Task Delete_with_an_unreachable_database_keeps_the_finalizer_until_force_released()
    {
        await _h.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("stuck");
        await _h.CreateSecretAsync("flaky", "url", rw.Url);
        var project = EndToEndProjects.Leaderboard(name, secret: "flaky");
        project.Spec.DeletionPolicy = DeletionPolicies.Delete;
        await _h.Projects.CreateAsync(project);
        await _h.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True);

        var secret = (await _h.Secrets.GetAsync(OperatorHarness.Ns, "flaky"))!;
        secret.StringData = new Dictionary<string, string> { ["url"] = "postgres://root@127.0.0.1:1/dev" };
        secret.Data = null;
        await _h.Secrets.ReplaceAsync(secret);
        await _h.Projects.DeleteAsync(OperatorHarness.Ns, name);

        var blocked = await _h.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.False, "DeletionBlocked");
        var message = OperatorHarness.Condition(blocked, ConditionTypes.Ready)!.Message;
        Assert.Contains("cannot connect to RisingWave", message, StringComparison.Ordinal);
        Assert.Contains(ProjectAnnotations.ForceRelease, message, StringComparison.Ordinal);
        Assert.Contains(ProjectAnnotations.Finalizer, blocked.Metadata.Finalizers!);

        blocked.Metadata.Annotations = new Dictionary<string, string> { [ProjectAnnotations.ForceRelease] = "true" };
        await _h.Projects.ReplaceAsync(blocked);
        await Eventually.UntilAsync(async () => await _h.Projects.GetAsync(OperatorHarness.Ns, name) is null, "force-release lets the project go");

        await using var db = rw.CreateDataSource();
        await using var cmd = db.CreateCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'game_events'");
        cmd.Parameters.AddWithValue(name.Replace('-', '_'));
        Assert.Equal(1L, Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
