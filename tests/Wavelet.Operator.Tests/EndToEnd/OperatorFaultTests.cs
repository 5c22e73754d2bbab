using k8s.Models;

namespace Wavelet.Operator.Tests.EndToEnd;

/// <summary>Faults found while hardening (#19 item 10): each gets a condition, an Event or a backoff, never a stuck project.</summary>
public sealed class OperatorFaultTests(RisingWaveFixture rw) : OperatorEndToEndTest(rw)
{
    [Theory]
    [InlineData("mysql://root@127.0.0.1:3306/dev", "scheme \"mysql\"")]
    [InlineData("not a url, not a connection string", "neither a postgres:// URL nor a valid connection string")]
    [InlineData("postgres://root@127.0.0.1:4566/dev?sslmode=verify_full", "sslmode=verify_full")]
    public async Task A_malformed_connection_url_is_a_condition_and_an_event_not_an_exception(string url, string expected)
    {
        await H.StartOperatorAsync(resync: "01:00:00");
        var name = EndToEndProjects.UniqueName("badurl");
        await H.CreateSecretAsync(name, "url", url);
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name, secret: name));

        var stalled = await H.WaitForConditionAsync(name, ConditionTypes.Stalled, ConditionStatus.True, "InvalidConnectionUrl");

        Assert.Contains(expected, OperatorHarness.Condition(stalled, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
        var events = new TestObjects<Corev1Event>(H.Client);
        await Eventually.UntilAsync(async () => (await events.ListAsync(OperatorHarness.Ns))
            .Any(e => e.Reason == "InvalidConnectionUrl" && e.InvolvedObject?.Name == name), "a Warning event says the URL is unusable");
    }

    [Fact]
    public async Task Sslmode_in_the_url_is_honoured_by_the_operator()
    {
        // The local engine refuses TLS: with sslmode=require the operator must fail to connect, not silently go plain.
        await H.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("tls");
        await H.CreateSecretAsync(name, "url", Rw.Url + "?sslmode=require");
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name, secret: name));

        var down = await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.False, "RisingWaveUnreachable");

        Assert.Equal(ConditionStatus.False, OperatorHarness.Condition(down, ConditionTypes.Stalled)!.Status);
        Assert.Null(H.Child("apps", "deployments", $"{name}-wavelet"));
    }

    [Fact]
    public async Task Deleting_a_project_whose_spec_became_invalid_still_drops_its_objects_and_releases_the_finalizer()
    {
        await H.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("baddel");
        var project = EndToEndProjects.Leaderboard(name);
        project.Spec.DeletionPolicy = DeletionPolicies.Delete;
        await H.Projects.CreateAsync(project);
        await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True);
        await H.UpdateSpecAsync(name, spec => spec.Queries[0].Sql = "");
        await H.WaitForConditionAsync(name, ConditionTypes.Stalled, ConditionStatus.True, "InvalidSpec");

        await H.Projects.DeleteAsync(OperatorHarness.Ns, name);

        await Eventually.UntilAsync(async () => await H.Projects.GetAsync(OperatorHarness.Ns, name) is null, "the finalizer is released");
        await using var db = Rw.CreateDataSource();
        await using var cmd = db.CreateCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'game_events'");
        cmd.Parameters.AddWithValue(name.Replace('-', '_'));
        Assert.Equal(0L, Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_project_whose_sync_never_reached_its_status_still_has_its_objects_dropped_on_delete()
    {
        // Found by the operator soak (#18): the DDL ran, the status write after it failed, the project was deleted before
        // a retry recorded the sync, and its schema was left behind.
        await H.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("nosync");
        var project = EndToEndProjects.Leaderboard(name);
        project.Spec.DeletionPolicy = DeletionPolicies.Delete;
        H.Server.Faults.FailNext(100_000, 500, "Internal error occurred: etcdserver: request timed out",
            match: r => r.Path.EndsWith($"/waveletprojects/{name}/status", StringComparison.Ordinal));
        await H.Projects.CreateAsync(project);
        await using var db = Rw.CreateDataSource();
        async Task<long> TablesAsync()
        {
            await using var cmd = db.CreateCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'game_events'");
            cmd.Parameters.AddWithValue(name.Replace('-', '_'));
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        await Eventually.UntilAsync(async () => await TablesAsync() == 1, "the DDL ran");
        Assert.Null((await H.GetProjectAsync(name)).Status?.LastSyncTime);

        await H.Projects.DeleteAsync(OperatorHarness.Ns, name);

        await Eventually.UntilAsync(async () => await H.Projects.GetAsync(OperatorHarness.Ns, name) is null, "the finalizer is released");
        Assert.Equal(0L, await TablesAsync());
    }

    [Fact]
    public async Task A_transient_risingwave_error_is_reconciling_with_backoff_not_stalled()
    {
        if (Rw.Simulator is not { } sim)
        {
            return; // fault injection needs the simulator
        }

        await H.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("xx");
        sim.Faults.FailNext($"CREATE TABLE .*{name.Replace('-', '_')}.*game_events", "XX000", "internal error: meta service unavailable");
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));

        var failed = await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.False, "DdlFailed");

        Assert.Contains("meta service unavailable", OperatorHarness.Condition(failed, ConditionTypes.DdlSynced)!.Message, StringComparison.Ordinal);
        Assert.Equal(ConditionStatus.False, OperatorHarness.Condition(failed, ConditionTypes.Stalled)!.Status);
        Assert.Equal(ConditionStatus.True, OperatorHarness.Condition(failed, ConditionTypes.Reconciling)!.Status);
        await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True, "Synced");
    }

    [Fact]
    public async Task A_conflict_is_retried_with_backoff_not_at_once()
    {
        await H.StartOperatorAsync(resync: "01:00:00");
        var name = EndToEndProjects.UniqueName("conflict");
        bool FinalizerPatch(Testing.Kubernetes.FakeRequest r) =>
            r.Method == "PATCH" && r.Path.EndsWith($"/waveletprojects/{name}", StringComparison.Ordinal);
        H.Server.Faults.FailNext(1000, 409, "Operation cannot be fulfilled: the object has been modified", match: FinalizerPatch);
        int Conflicts() => H.Server.Requests.All.Count(r => r.Faulted && FinalizerPatch(r));
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));

        await Eventually.UntilAsync(() => Conflicts() >= 1, "the first finalizer patch conflicts");
        var first = Stopwatch.StartNew();
        await Eventually.UntilAsync(() => Conflicts() >= 3, "the conflict is retried");
        var seen = Conflicts();

        // Backoff 1 s then 2 s: the third attempt comes no sooner than ~3 s after the first; an immediate requeue spins.
        Assert.True(first.Elapsed >= TimeSpan.FromSeconds(2), $"three conflicts within {first.Elapsed}");
        Assert.True(seen <= 4, $"{seen} conflicting requests by the time the third was seen");
    }

    [Fact]
    public async Task A_pdb_of_the_same_name_the_project_does_not_own_is_not_deleted()
    {
        await H.StartOperatorAsync();
        var name = EndToEndProjects.UniqueName("pdb");
        var pdbs = new TestObjects<V1PodDisruptionBudget>(H.Client);
        await pdbs.CreateAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = $"{name}-wavelet", NamespaceProperty = OperatorHarness.Ns },
            Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "theirs" } } },
        });
        await H.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));

        await H.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True);
        await Eventually.UntilAsync(() => H.Child("apps", "deployments", $"{name}-wavelet") is not null, "the project reconciled its children");

        Assert.NotNull(H.Child("policy", "poddisruptionbudgets", $"{name}-wavelet"));
        Assert.DoesNotContain(H.Server.Requests.All, r => r.Method == "DELETE" && r.Path.EndsWith($"/poddisruptionbudgets/{name}-wavelet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_image_outside_the_operators_policy_stalls_and_nothing_is_applied()
    {
        await H.StartOperatorAsync(resync: "01:00:00");
        var name = EndToEndProjects.UniqueName("img");
        var project = EndToEndProjects.Leaderboard(name);
        project.Spec.DataPlane = new DataPlaneSpec { Image = "evil.example/dump-env:1" };
        await H.Projects.CreateAsync(project);

        var stalled = await H.WaitForConditionAsync(name, ConditionTypes.Stalled, ConditionStatus.True, "ImageNotAllowed");

        Assert.Contains("evil.example/dump-env:1", OperatorHarness.Condition(stalled, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
        Assert.Null(H.Child("apps", "deployments", $"{name}-wavelet"));
        await H.UpdateSpecAsync(name, spec => spec.DataPlane = new DataPlaneSpec { Image = "wavelet/dataplane:v2" });
        await Eventually.UntilAsync(() => H.Child("apps", "deployments", $"{name}-wavelet") is not null, "an allowed tag of the default repository is applied");
    }
}
