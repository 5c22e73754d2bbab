using Wavelet.Engine;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using k8s;
using k8s.Models;
using Wavelet.Api;
using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Hosting;
using Wavelet.Operator.Kubernetes;
using Wavelet.Operator.Kubernetes.Watch;
using Wavelet.Testing.Kubernetes;
using Wavelet.Testing.RisingWave;

namespace Wavelet.Bench.Scenarios;

/// <summary>
/// Operator scale: N WaveletProjects created at once on the fake Kubernetes API server, the real operator host
/// reconciling them against the RisingWave simulator, a test "kubelet" marking each Deployment available. Measures
/// time until every project is Ready, API requests and DDL statements per project, and requests per minute once idle
/// (with resyncs running).
/// </summary>
public sealed class OperatorScenario : IScenario
{
    private const string Namespace = "bench";
    private const string DriverToken = "wavelet-bench-driver";
    private static readonly TimeSpan ConvergeDeadline = TimeSpan.FromMinutes(25);

    public string Name => "operator";

    public static (int Projects, TimeSpan Resync, TimeSpan Idle) SizeFor(BenchSize size) => size switch
    {
        BenchSize.Smoke => (5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)),
        BenchSize.Small => (50, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)),
        _ => (500, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)),
    };

    public async Task<ScenarioReport> RunAsync(BenchSettings settings, ILogger logger, CancellationToken ct)
    {
        var (count, resync, idle) = SizeFor(settings.Size);
        await using var simulator = await LocalEngine.StartAsync(new LocalEngineOptions { BarrierInterval = TimeSpan.FromHours(1) }, ct);
        await using var server = await FakeKubernetesApiServer.StartAsync(ct);
        server.CreateNamespace(Namespace);
        var clientConfig = new KubernetesClientConfiguration { Host = server.Url, Namespace = Namespace };
        // The driver's own requests carry a token of their own, so the operator's are counted apart from them.
        using var client = KubernetesClients.Create(new KubernetesClientConfiguration { Host = server.Url, Namespace = Namespace, AccessToken = DriverToken });
        await client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "rw", NamespaceProperty = Namespace }, StringData = new Dictionary<string, string> { ["url"] = simulator.Url } }, Namespace, cancellationToken: ct);

        var flags = OperatorCommandLine.Parse(
            ["--health-port", "0", "--metrics-port", "0", "--leader-elect", "false", "--resync-period", resync.ToString("c", CultureInfo.InvariantCulture), "--data-plane-image", "wavelet/dataplane:bench"]);
        flags["Logging:LogLevel:Default"] = "Warning";
        var app = OperatorHostBuilder.Build(flags, services => services.AddSingleton(clientConfig));
        await app.StartAsync(ct);
        using var observe = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var readiness = new ReadyTracker(count);
        var watches = WatchAsync(client, server, readiness, logger, observe.Token);
        try
        {
            var names = Enumerable.Range(0, count).Select(i => $"proj-{i.ToString("000", CultureInfo.InvariantCulture)}").ToList();
            simulator.Statements.Clear();
            var requestsMark = server.Requests.Mark();
            var barriersBefore = simulator.BarrierTotals;
            var visitsBefore = simulator.BarrierVisits;
            var watch = Stopwatch.StartNew();
            using (var gate = new SemaphoreSlim(16))
            {
                await Task.WhenAll(names.Select(async name =>
                {
                    await gate.WaitAsync(ct);
                    try
                    {
                        await client.CustomObjects.CreateNamespacedCustomObjectAsync<WaveletProject>(Project(name), WaveletGroup.Group, WaveletGroup.Version, Namespace, WaveletGroup.Plural, cancellationToken: ct);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            try
            {
                await readiness.AllReady.WaitAsync(ConvergeDeadline, ct);
            }
            catch (TimeoutException)
            {
                await observe.CancelAsync();
                await watches;
                var partial = new ScenarioReport(Name, $"Operator: {count} WaveletProjects on the fake API server");
                partial.Tables.Add(new ResultTable("projects", "Ready at deadline", "deadline s").Add(count, readiness.Ready, ConvergeDeadline.TotalSeconds));
                partial.Notes.Add("Not every project converged before the deadline; the idle phase was not measured.");
                partial.Figures["ready_at_deadline"] = readiness.Ready;
                return partial;
            }

            var converged = watch.Elapsed;
            var barriers = simulator.BarrierTotals;
            var (barrierCount, barrierTime) = (barriers.Count - barriersBefore.Count, barriers.Elapsed - barriersBefore.Elapsed);
            var barrierVisits = simulator.BarrierVisits - visitsBefore;
            var requests = server.Requests.Since(requestsMark).Where(r => r.BearerToken != DriverToken).ToList();
            var operatorRequests = requests.Count;
            var operatorWrites = requests.Count(r => r.IsWrite);
            var statements = simulator.Statements.Snapshot();
            var ddl = statements.Count(s => IsDdl(s.Sql));

            logger.LogInformation("operator: all {Count} projects Ready in {Seconds:0.#} s; idle for {Idle} s", count, converged.TotalSeconds, idle.TotalSeconds);
            simulator.Statements.Clear();
            var idleMark = server.Requests.Mark();
            await Task.Delay(idle, ct); // the measurement window itself: count what the operator does while nothing changes
            var idleRequests = server.Requests.Since(idleMark).Where(r => !r.IsWatch && r.BearerToken != DriverToken).ToList();
            var perMinute = 60 / idle.TotalSeconds;
            var idleDdl = simulator.Statements.Snapshot().Count(s => IsDdl(s.Sql));

            var report = new ScenarioReport(Name, $"Operator: {count} WaveletProjects on the fake API server");
            report.Tables.Add(new ResultTable("projects", "all Ready in s", "API requests per project", "API writes per project", "DDL statements per project", "DB statements per project", "idle requests/min", "idle writes/min", "idle DDL/min", "resync period")
                .Add(count, converged.TotalSeconds, (double)operatorRequests / count, (double)operatorWrites / count, (double)ddl / count, (double)statements.Count / count,
                    idleRequests.Count * perMinute, idleRequests.Count(r => r.IsWrite) * perMinute, idleDdl * perMinute, resync.ToString("c", CultureInfo.InvariantCulture)));
            report.Notes.Add("Requests are the operator's, counted at the fake API server (the driver's creates and its own two informers carry another token); watch streams are long-lived and not counted as idle requests. The test kubelet writes Deployment status in-process (not through HTTP) as soon as the driver's informer sees a Deployment not yet rolled out.");
            report.Notes.Add($"Projects are the upstream leaderboard (one table, one aggregate MV, one subscription), each in its own schema; the operator runs with {MaxConcurrentReconcilesNote}.");
            report.Tables.Add(new ResultTable("simulator barriers until all Ready", "barrier s", "share of the converge time", "subscriptions visited")
                .Add(barrierCount, barrierTime.TotalSeconds, barrierTime / converged, barrierVisits));
            report.Notes.Add("Every FLUSH is a simulator barrier, one at a time. A barrier visits only the subscriptions it has work for (a table they read was written, history past retention, relation gone), so its cost follows the writes, not the number of projects already created. Barrier time is the simulator's, not the operator's: a project's reconcile waits for its FLUSH.");
            report.Figures["seconds_to_all_ready"] = converged.TotalSeconds;
            report.Figures["simulator_barrier_seconds"] = barrierTime.TotalSeconds;
            report.Figures["simulator_barrier_visits"] = barrierVisits;
            report.Figures["idle_writes_per_minute"] = idleRequests.Count(r => r.IsWrite) * perMinute;
            report.Figures["ddl_per_project"] = (double)ddl / count;
            return report;
        }
        finally
        {
            await observe.CancelAsync();
            await watches;
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private const string MaxConcurrentReconcilesNote = "its default concurrency (2 reconciles at a time)";

    private static bool IsDdl(string sql)
    {
        var text = sql.TrimStart();
        return text.StartsWith("CREATE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("DROP", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("ALTER", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The driver's view, by watch rather than polling (a list of 500 projects every few milliseconds would cost the
    /// two cores more than the operator): stands in for the kubelet when a Deployment appears or changes, and counts
    /// Ready projects.
    /// </summary>
    private static async Task WatchAsync(IKubernetes client, FakeKubernetesApiServer server, ReadyTracker readiness, ILogger logger, CancellationToken ct)
    {
        var deployments = new Informer<V1Deployment>(client, Namespace, null, logger);
        void Roll(V1Deployment d)
        {
            if (d.Status?.ObservedGeneration != d.Metadata.Generation || d.Status?.AvailableReplicas is null)
            {
                server.MarkDeploymentAvailable(Namespace, d.Metadata.Name!);
            }
        }

        deployments.Added += Roll;
        deployments.Updated += (_, d) => Roll(d);
        var projects = new Informer<WaveletProject>(client, Namespace, null, logger);
        projects.Added += readiness.Observe;
        projects.Updated += (_, p) => readiness.Observe(p);
        await Task.WhenAll(deployments.RunAsync(ct), projects.RunAsync(ct)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private sealed class ReadyTracker(int expected)
    {
        private readonly HashSet<string> _ready = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task AllReady => _all.Task;

        public int Ready
        {
            get
            {
                lock (_ready)
                {
                    return _ready.Count;
                }
            }
        }

        public void Observe(WaveletProject project)
        {
            var ready = project.Status?.Conditions.Find(c => c.Type == ConditionTypes.Ready)?.Status == ConditionStatus.True;
            lock (_ready)
            {
                if (ready)
                {
                    _ready.Add(project.Metadata.Name!);
                }
                else
                {
                    _ready.Remove(project.Metadata.Name!);
                }

                if (_ready.Count == expected)
                {
                    _all.TrySetResult();
                }
            }
        }
    }

    private static WaveletProject Project(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new WaveletProjectSpec
        {
            Risingwave = new RisingWaveSpec { ConnectionSecretRef = new SecretKeySelector { Name = "rw", Key = "url" } },
            Events = [new EventSpec { Name = "game_events", Columns = [new ColumnSpec { Name = "player_id", Type = "string" }, new ColumnSpec { Name = "score", Type = "int" }] }],
            Queries = [new QuerySpec { Name = "leaderboard", Sql = "SELECT player_id, SUM(score) AS total FROM game_events GROUP BY player_id" }],
            Auth = new AuthSpec { Writes = WriteAccess.Public },
        },
    };
}
