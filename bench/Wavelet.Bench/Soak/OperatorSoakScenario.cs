using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Wavelet.Api;
using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Bench.Cli;
using Wavelet.Bench.Measure;
using Wavelet.Bench.Scenarios;
using Wavelet.Operator.Kubernetes;
using Wavelet.Testing;

namespace Wavelet.Bench.Soak;

/// <summary>
/// Fault-injection soak of the operator: projects are created, changed and deleted while the fake API server refuses
/// bursts of requests (429, 500, 503), cuts every watch, forgets its history (watches and lists from old
/// resourceVersions get 410) and the leader loses its Lease. At the end every project must have converged and nothing
/// may be left of a deleted one, in Kubernetes or in the engine's catalog. See docs/reliability.md.
/// </summary>
public sealed class OperatorSoakScenario : IScenario
{
    private const string Prefix = "osoak-";
    private const string Sql = "SELECT player_id, SUM(score) AS total FROM game_events GROUP BY player_id";
    private const string ChangedSql = "SELECT player_id, SUM(score) AS total FROM game_events WHERE score > 0 GROUP BY player_id";

    public string Name => "operator-soak";

    public async Task<ScenarioReport> RunAsync(BenchSettings settings, ILogger logger, CancellationToken ct)
    {
        var size = OperatorSoakSize.For(settings.Size);
        await using var world = await OperatorSoakWorld.StartAsync(logger, ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var memory = new PeakMemory(() => Environment.ProcessId);
        var sampling = memory.RunAsync(stop.Token);
        var projects = new ResourceApi<WaveletProject>(world.Client);
        var names = Enumerable.Range(0, size.Projects).Select(i => Prefix + i.ToString("000", CultureInfo.InvariantCulture)).ToList();
        var deleted = names.Where((_, i) => i % 3 == 2).ToHashSet(StringComparer.Ordinal);
        var injected = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var faultLog = new List<string>();
        var leaderChanges = 0;
        var leadership = LeadershipAsync(world, stop.Token);
        var report = new ScenarioReport(Name, $"Operator fault-injection soak: {size.Projects} projects");

        var faults = new List<SoakFault>
        {
            new("429 burst", _ => Burst(world, size, 429, "Too many requests, please try again later.", plainText: true)),
            new("500 burst", _ => Burst(world, size, 500, "Internal error occurred: etcdserver: request timed out")),
            new("watches cut", _ =>
            {
                var open = world.Server.OpenWatchCount;
                world.Server.Faults.CutWatches();
                return Task.FromResult($"{open} watch streams ended");
            }),
            new("503 burst", _ => Burst(world, size, 503, "The server is currently unable to handle the request")),
            new("history expired (410)", _ =>
            {
                world.Server.Faults.ExpireHistory();
                world.Server.Faults.CutWatches();
                return Task.FromResult("every watch cut; re-watching from a known resourceVersion gets 410");
            }),
            new("leader loss", async token =>
            {
                // A burst may have cost the leader its Lease already: wait for a leader to take it from.
                await Eventually.UntilAsync(() => world.Replicas.Any(r => r.IsLeader), "a replica leads", TimeSpan.FromSeconds(60));
                var leader = world.Replicas.First(r => r.IsLeader);

                var watch = Stopwatch.StartNew();
                world.LeaseBlockedFor = leader.Token;
                try
                {
                    await Eventually.UntilAsync(() => world.Replicas.Any(r => r != leader && r.IsLeader), "the other replica takes the Lease", TimeSpan.FromSeconds(60));
                }
                finally
                {
                    world.LeaseBlockedFor = null;
                }

                Interlocked.Increment(ref leaderChanges);
                return $"{leader.Identity}'s Lease requests refused; another replica led after {watch.Elapsed.TotalSeconds:0.0} s";
            }),
        };

        var started = Stopwatch.StartNew();
        var churn = ChurnAsync(world, projects, names, deleted, size.FaultInterval, logger, ct);
        using (var schedule = new PeriodicTimer(size.FaultInterval))
        {
            for (var cycle = 0; cycle < size.Cycles; cycle++)
            {
                foreach (var fault in faults)
                {
                    await schedule.WaitForNextTickAsync(ct);
                    var detail = await fault.InjectAsync(ct);
                    injected.AddOrUpdate(fault.Name, 1, (_, n) => n + 1);
                    faultLog.Add($"{fault.Name}: {detail}");
                    logger.LogInformation("operator soak fault {Fault}: {Detail}", fault.Name, detail);
                }
            }
        }

        await churn;
        var faultsOver = started.Elapsed;
        var faultedRequests = world.Server.Requests.All.Count(r => r.Faulted);
        var converged = true;
        try
        {
            await Eventually.UntilAsync(async () => (await UnconvergedAsync(projects, names, deleted, ct)).Count == 0, "every project converged", size.ConvergeDeadline);
        }
        catch (TimeoutException)
        {
            converged = false;
        }

        var convergedAt = started.Elapsed;
        var unconverged = await UnconvergedAsync(projects, names, deleted, ct);
        var live = names.Where(n => !deleted.Contains(n)).ToHashSet(StringComparer.Ordinal);
        var engineOrphans = await OperatorSoakChecks.EngineOrphansAsync(world.Engine, Prefix, live, ct);
        var kubernetesOrphans = await OperatorSoakChecks.KubernetesOrphansAsync(world.Client, projects, OperatorSoakWorld.Namespace, deleted, ct);
        await stop.CancelAsync();
        await sampling;
        var leaders = await leadership;

        report.Tables.Add(new ResultTable("projects (created / changed / deleted)", "faults", "requests refused", "leader losses injected / leader changes seen", "not converged", "orphan RisingWave objects", "orphan Kubernetes children", "s to converge after the last fault", "s in all", "peak RSS MiB")
            .Add($"{names.Count} / {names.Count} / {deleted.Count}", injected.Values.Sum(), faultedRequests, $"{leaderChanges} / {leaders}", unconverged.Count, engineOrphans.Count, kubernetesOrphans.Count,
                Math.Round((convergedAt - faultsOver).TotalSeconds, 1), Math.Round(convergedAt.TotalSeconds, 1), Math.Round(memory.PeakBytes / 1048576.0)));
        report.Tables.Add(new ResultTable([.. faults.Select(f => f.Name)]).Add([.. faults.Select(f => (object)injected.GetValueOrDefault(f.Name))]));
        report.Notes.Add("Faults in order: " + string.Join("; ", faultLog) + ".");
        report.Notes.Add("Bursts refuse the next N requests of the operators (never the driver's); \"requests refused\" counts every refused request, the leader-loss Lease refusals included. "
            + "Converged: Ready=True with status.observedGeneration equal to metadata.generation, or the project gone after its delete. "
            + "Peak RSS is the driver process's, which hosts both operator replicas, the fake API server and the engine's proxy (PostgreSQL not included).");
        if (!converged)
        {
            report.Notes.Add("NOT CONVERGED: " + string.Join(", ", unconverged.Take(20)) + ".");
        }

        foreach (var orphan in engineOrphans.Concat(kubernetesOrphans).Take(20))
        {
            report.Notes.Add("Orphan: " + orphan);
        }

        report.Figures["projects"] = names.Count;
        report.Figures["deleted"] = deleted.Count;
        report.Figures["faults"] = injected.Values.Sum();
        report.Figures["requests_refused"] = faultedRequests;
        report.Figures["leader_losses"] = leaderChanges;
        report.Figures["leader_changes_seen"] = leaders;
        report.Figures["not_converged"] = unconverged.Count;
        report.Figures["orphan_engine_objects"] = engineOrphans.Count;
        report.Figures["orphan_kubernetes_children"] = kubernetesOrphans.Count;
        report.Figures["seconds_to_converge_after_faults"] = (convergedAt - faultsOver).TotalSeconds;
        report.Figures["peak_rss_bytes"] = memory.PeakBytes;
        foreach (var (fault, count) in injected)
        {
            report.Figures["fault: " + fault] = count;
        }

        return report;
    }

    /// <summary>Counts changes of the leading replica (sampled every 100 ms; "none" between two leaders counts as no change).</summary>
    private static async Task<int> LeadershipAsync(OperatorSoakWorld world, CancellationToken ct)
    {
        var changes = 0;
        string? last = null;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (world.Replicas.FirstOrDefault(r => r.IsLeader)?.Identity is { } leader && leader != last)
                {
                    changes += last is null ? 0 : 1;
                    last = leader;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return changes;
    }

    /// <summary>
    /// Refuses the operators' next <paramref name="count"/> requests, within a window shorter than the fault interval: with
    /// no leader, the replicas send about two requests a second, and an unbounded burst would keep the Lease from anyone
    /// for minutes (the first long run showed it).
    /// </summary>
    private static Task<string> Burst(OperatorSoakWorld world, OperatorSoakSize size, int status, string message, bool plainText = false)
    {
        var until = DateTimeOffset.UtcNow + size.FaultInterval * 0.6;
        world.Server.Faults.FailNext(size.Burst, status, message, retryAfter: status == 429 ? TimeSpan.FromSeconds(1) : null, plainText: plainText,
            match: r => OperatorSoakWorld.FromOperator(r) && DateTimeOffset.UtcNow < until);
        return Task.FromResult($"the operators' next {size.Burst} requests within {(size.FaultInterval * 0.6).TotalSeconds:0.#} s answered {status}");
    }

    /// <summary>Creates every project, changes every one's query, then deletes a third, one fault interval apart.</summary>
    private static async Task ChurnAsync(OperatorSoakWorld world, ResourceApi<WaveletProject> projects, List<string> names, HashSet<string> deleted, TimeSpan interval, ILogger logger, CancellationToken ct)
    {
        await ForEachAsync(names, name => world.Client.CustomObjects.CreateNamespacedCustomObjectAsync<WaveletProject>(
            Project(name), WaveletGroup.Group, WaveletGroup.Version, OperatorSoakWorld.Namespace, WaveletGroup.Plural, cancellationToken: ct), ct);
        logger.LogInformation("operator soak: {Count} projects created", names.Count);
        using var pace = new PeriodicTimer(interval);
        await pace.WaitForNextTickAsync(ct);
        var changed = new { spec = new { queries = new[] { new { name = "leaderboard", sql = ChangedSql } } } };
        await ForEachAsync(names, name => projects.MergePatchAsync(OperatorSoakWorld.Namespace, name, changed, ct), ct);
        logger.LogInformation("operator soak: {Count} projects changed", names.Count);
        await pace.WaitForNextTickAsync(ct);
        await ForEachAsync([.. deleted], name => projects.DeleteAsync(OperatorSoakWorld.Namespace, name, ct), ct);
        logger.LogInformation("operator soak: {Count} projects deleted", deleted.Count);
    }

    private static async Task ForEachAsync(IReadOnlyList<string> names, Func<string, Task> action, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(names.Select(async name =>
        {
            await gate.WaitAsync(ct);
            try
            {
                await action(name);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>Projects not (yet) converged, each with why.</summary>
    private static async Task<List<string>> UnconvergedAsync(ResourceApi<WaveletProject> projects, List<string> names, HashSet<string> deleted, CancellationToken ct)
    {
        var existing = (await projects.ListAsync(OperatorSoakWorld.Namespace, null, null, null, ct)).Items.ToDictionary(p => p.Metadata.Name!, StringComparer.Ordinal);
        var pending = new List<string>();
        foreach (var name in names)
        {
            var project = existing.GetValueOrDefault(name);
            if (deleted.Contains(name))
            {
                if (project is not null)
                {
                    pending.Add($"{name} still exists after its delete");
                }

                continue;
            }

            var ready = project?.Status?.Conditions.Find(c => c.Type == ConditionTypes.Ready);
            if (project is null || ready?.Status != ConditionStatus.True || project.Status?.ObservedGeneration != project.Metadata.Generation)
            {
                pending.Add($"{name} (Ready={ready?.Status ?? "none"} {ready?.Reason}, observedGeneration {project?.Status?.ObservedGeneration} of {project?.Metadata.Generation})");
            }
        }

        return pending;
    }

    private static WaveletProject Project(string name) => new()
    {
        ApiVersion = $"{WaveletGroup.Group}/{WaveletGroup.Version}",
        Kind = "WaveletProject",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = OperatorSoakWorld.Namespace },
        Spec = new WaveletProjectSpec
        {
            Risingwave = new RisingWaveSpec { ConnectionSecretRef = new SecretKeySelector { Name = "rw", Key = "url" } },
            Events = [new EventSpec { Name = "game_events", Columns = [new ColumnSpec { Name = "player_id", Type = "string" }, new ColumnSpec { Name = "score", Type = "int" }] }],
            Queries = [new QuerySpec { Name = "leaderboard", Sql = Sql }],
            Auth = new AuthSpec { Writes = WriteAccess.Public },
            DeletionPolicy = DeletionPolicies.Delete,
        },
    };
}
