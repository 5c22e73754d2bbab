namespace Wavelet.Bench.Scenarios;

/// <summary>
/// Fan-out (filtered query, clients spread over tenants, each epoch touching every tenant once) and broadcast
/// (unfiltered query): step the epoch rate up until delivery stops keeping up, then measure latency at half the
/// highest sustained rate.
/// </summary>
public sealed class ThroughputScenario : IScenario
{
    private readonly bool _broadcast;

    private ThroughputScenario(bool broadcast) => _broadcast = broadcast;

    public static ThroughputScenario Fanout { get; } = new(broadcast: false);

    public static ThroughputScenario Broadcast { get; } = new(broadcast: true);

    public string Name => _broadcast ? "broadcast" : "fanout";

    public static ThroughputSize SizeFor(BenchSize size, bool broadcast) => size switch
    {
        BenchSize.Smoke => new(Clients: 100, Tenants: broadcast ? null : 10, RowsPerEpoch: 10, Rates: [10], Step: TimeSpan.FromSeconds(1.5)),
        BenchSize.Small => new(Clients: 1000, Tenants: broadcast ? null : 100, RowsPerEpoch: 100, Rates: [5, 10, 20, 40], Step: TimeSpan.FromSeconds(3)),
        _ => new(Clients: 10_000, Tenants: broadcast ? null : 1000, RowsPerEpoch: broadcast ? 10 : 1000, Rates: [1, 2, 5, 10, 20, 30, 40, 60], Step: TimeSpan.FromSeconds(6)),
    };

    public async Task<ScenarioReport> RunAsync(BenchSettings settings, ILogger logger, CancellationToken ct)
    {
        var size = SizeFor(settings.Size, _broadcast);
        var tenants = size.Tenants ?? 1;
        var slots = Math.Max(1, size.RowsPerEpoch / tenants);
        var seed = _broadcast ? new Seed(FilteredRows: 0, Tenants: 1, BroadcastRows: size.RowsPerEpoch) : new Seed(FilteredRows: tenants * slots, Tenants: tenants, BroadcastRows: 0);
        if (settings.TargetUrls.Count == 0)
        {
            await using var env = await BenchEnvironment.StartAsync(settings, seed, logger, ct);
            return (await RunOnceAsync(env, size, logger, ct)).Report;
        }

        // Target mode: the same steps against each target in turn, all following the same engine, then side by side.
        var runs = new List<(BenchServer Server, TargetRun Run, string? Note)>();
        foreach (var url in settings.TargetUrls)
        {
            logger.LogInformation("{Scenario}: target {Url}", Name, url);
            BenchEnvironment.LastServerNote = null;
            TargetRun run;
            BenchServer server;
            await using (var env = await BenchEnvironment.AttachAsync(settings.EngineUrl!, url, settings, seed, ct))
            {
                server = env.Server;
                run = await RunOnceAsync(env, size, logger, ct);
            }

            runs.Add((server, run, BenchEnvironment.LastServerNote));
        }

        BenchEnvironment.LastServerNote = null;
        return SideBySide(runs);
    }

    private ScenarioReport SideBySide(List<(BenchServer Server, TargetRun Run, string? Note)> runs)
    {
        var report = new ScenarioReport(Name, $"{runs[0].Run.Report.Title}: {string.Join(" vs ", runs.Select(r => r.Server.BaseUri.Authority))} on the same engine feed");
        var comparison = new ResultTable("target", "highest sustained msgs/s", "server CPU % there", "server µs per message", "driver+sim CPU %", "half-rate epoch→client p50 / p99 ms", "half-rate write→client p99 ms");
        foreach (var (server, run, _) in runs)
        {
            comparison.Add(
                server.BaseUri.ToString(),
                run.Best?.MessagesPerSecond ?? 0,
                run.Best?.Cpu.DataPlaneCpuPercent ?? double.NaN,
                run.Best is { } b ? MicrosPerMessage(b) : double.NaN,
                run.Best?.Cpu.DriverCpuPercent ?? double.NaN,
                run.AtHalf is { } h ? $"{ResultTable.Format(h.EpochP50Ms)} / {ResultTable.Format(h.EpochP99Ms)}" : "-",
                run.AtHalf?.WriteP99Ms ?? double.NaN);
        }

        if (runs.Count == 2 && runs[0].Run.Best is { } first && runs[1].Run.Best is { } second)
        {
            comparison.Add(
                "second / first",
                second.MessagesPerSecond / first.MessagesPerSecond,
                second.Cpu.DataPlaneCpuPercent / first.Cpu.DataPlaneCpuPercent,
                MicrosPerMessage(second) / MicrosPerMessage(first),
                second.Cpu.DriverCpuPercent / first.Cpu.DriverCpuPercent,
                runs[0].Run.AtHalf is { } h0 && runs[1].Run.AtHalf is { } h1 ? $"{ResultTable.Format(h1.EpochP50Ms / h0.EpochP50Ms)} / {ResultTable.Format(h1.EpochP99Ms / h0.EpochP99Ms)}" : "-",
                runs[0].Run.AtHalf is { } w0 && runs[1].Run.AtHalf is { } w1 ? w1.WriteP99Ms / w0.WriteP99Ms : double.NaN);
            report.Figures["ratio_max_sustained_messages_per_second"] = second.MessagesPerSecond / first.MessagesPerSecond;
        }

        report.Tables.Add(comparison);
        for (var i = 0; i < runs.Count; i++)
        {
            var (server, run, note) = runs[i];
            report.Tables.AddRange(run.Report.Tables);
            report.Figures[$"target{i + 1}_max_sustained_messages_per_second"] = run.Best?.MessagesPerSecond ?? 0;
            report.Notes.Add($"Target {i + 1} ({server.BaseUri}): its step table{(run.AtHalf is null ? " follows" : " and half-rate table follow")} in order. {note}");
        }

        report.Notes.Add("Server CPU is read from /proc for a target listening on this machine (found by its port); NaN for a remote one. The targets ran one after the other against the same engine, with the same clients, tokens and epochs.");
        report.Notes.AddRange(runs[0].Run.Report.Notes.Where(n => n.StartsWith("Each run", StringComparison.Ordinal) || n.StartsWith("write→client", StringComparison.Ordinal)));
        return report;
    }

    private static double MicrosPerMessage(StepResult step) => step.Cpu.DataPlaneCpuPercent / 100 / step.MessagesPerSecond * 1e6;

    private async Task<TargetRun> RunOnceAsync(BenchEnvironment env, ThroughputSize size, ILogger logger, CancellationToken ct)
    {
        var tenants = size.Tenants ?? 1;
        var query = _broadcast ? BenchSchema.BroadcastQuery : BenchSchema.FilteredQuery;
        var table = _broadcast ? BenchSchema.BroadcastTable : BenchSchema.FilteredTable;
        var slots = Math.Max(1, size.RowsPerEpoch / tenants);
        await using var swarm = new ClientSwarm(env.Server.BaseUri, query, env.Tokens, ClientSwarm.Spread(size.Clients, size.Tenants), BenchSchema.TimestampColumn);
        await swarm.ConnectAllAsync(inFlight: 256, withCursor: false, ct);
        await Eventually.UntilAsync(() => swarm.Stats.Snapshots >= size.Clients, $"all {size.Clients} clients have their snapshot", TimeSpan.FromSeconds(120));
        var writer = new ChangeWriter(env.Database, table, tenants, slots);

        var report = new ScenarioReport(Name, _broadcast
            ? $"Broadcast: {size.Clients:N0} clients on an unfiltered query, {size.RowsPerEpoch} rows per epoch"
            : $"Fan-out: {size.Clients:N0} clients over {tenants:N0} tenants, {size.RowsPerEpoch} rows per epoch");
        // The first seconds of a fresh process measure the JIT (tiering, OSR) and the GC sizing its heaps, not the
        // steady state a pod reaches after minutes: run one unreported step at the lowest rate first.
        logger.LogInformation("{Scenario}: warm-up at {Rate} epochs/s for {Seconds} s (not reported)", Name, size.Rates[0], size.Step.TotalSeconds);
        await ThroughputStep.RunAsync(env, swarm, writer, size.RowsPerEpoch, size.Rates[0], size.Step, ct);

        var steps = ThroughputStep.Table();
        StepResult? best = null;
        foreach (var rate in size.Rates)
        {
            logger.LogInformation("{Scenario}: {Rate} epochs/s for {Seconds} s", Name, rate, size.Step.TotalSeconds);
            var result = await ThroughputStep.RunAsync(env, swarm, writer, size.RowsPerEpoch, rate, size.Step, ct);
            ThroughputStep.AddTo(steps, result);
            if (!result.Sustainable)
            {
                break;
            }

            best = result;
            if (result.AchievedEpochsPerSecond < 0.8 * rate)
            {
                report.Notes.Add($"The writer reached only {result.AchievedEpochsPerSecond:0.#} of {rate} epochs/s: the simulator (upsert + FLUSH barrier on PostgreSQL) limits the rate here, not the data plane.");
                break;
            }
        }

        report.Tables.Add(steps);
        report.Notes.Add($"Each run starts with one unreported warm-up step at {size.Rates[0]} epochs/s (JIT tiering and GC heap sizing).");
        if (best is null)
        {
            report.Notes.Add("No rate was sustained (see the first step); no half-rate latency run.");
            return new TargetRun(report, null, null);
        }

        var half = best.AchievedEpochsPerSecond / 2;
        logger.LogInformation("{Scenario}: latency at half the highest sustained rate ({Rate:0.#} epochs/s)", Name, half);
        var atHalf = await ThroughputStep.RunAsync(env, swarm, writer, size.RowsPerEpoch, half, size.Step, ct);
        var latency = ThroughputStep.Table();
        ThroughputStep.AddTo(latency, atHalf);
        report.Tables.Add(latency);
        report.Figures["max_sustained_messages_per_second"] = best.MessagesPerSecond;
        report.Figures["max_sustained_rows_per_second"] = best.RowsPerSecond;
        report.Figures["half_rate_epoch_p99_ms"] = atHalf.EpochP99Ms;
        report.Figures["half_rate_write_p99_ms"] = atHalf.WriteP99Ms;
        report.Figures["slow_consumer_closes"] = atHalf.SlowConsumerCloses;
        report.Figures["max_sustained_server_us_per_message"] = MicrosPerMessage(best);
        report.Notes.Add($"Highest sustained step: {best.MessagesPerSecond:N0} messages/s ({best.RowsPerSecond:N0} rows/s) at {best.AchievedEpochsPerSecond:0.#} epochs/s; the second table is the run at half that epoch rate ({half:0.#} epochs/s).");
        report.Notes.Add($"Data plane CPU per delivered message at the highest sustained step: {MicrosPerMessage(best):0.#} µs (driver+sim {best.Cpu.DriverCpuPercent:0.#}% of a core beside it).");
        report.Notes.Add("write→client includes the write, the FLUSH barrier (the simulator diffs the MV) and the cursor FETCH; epoch→client starts at the epoch's rw_timestamp (ms precision), so it is the part the data plane adds plus the simulator's FETCH.");
        return new TargetRun(report, best, atHalf);
    }

    private sealed record TargetRun(ScenarioReport Report, StepResult? Best, StepResult? AtHalf);
}

public sealed record ThroughputSize(int Clients, int? Tenants, int RowsPerEpoch, double[] Rates, TimeSpan Step);
