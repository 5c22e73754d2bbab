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
        var query = _broadcast ? BenchSchema.BroadcastQuery : BenchSchema.FilteredQuery;
        var table = _broadcast ? BenchSchema.BroadcastTable : BenchSchema.FilteredTable;
        var slots = Math.Max(1, size.RowsPerEpoch / tenants);
        var seed = _broadcast ? new Seed(FilteredRows: 0, Tenants: 1, BroadcastRows: size.RowsPerEpoch) : new Seed(FilteredRows: tenants * slots, Tenants: tenants, BroadcastRows: 0);
        await using var env = await BenchEnvironment.StartAsync(settings, seed, logger, ct);
        await using var swarm = new ClientSwarm(env.DataPlane.BaseUri, query, env.Tokens, ClientSwarm.Spread(size.Clients, size.Tenants), BenchSchema.TimestampColumn);
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
            return report;
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
        report.Notes.Add($"Highest sustained step: {best.MessagesPerSecond:N0} messages/s ({best.RowsPerSecond:N0} rows/s) at {best.AchievedEpochsPerSecond:0.#} epochs/s; the second table is the run at half that epoch rate ({half:0.#} epochs/s).");
        report.Notes.Add("write→client includes the write, the FLUSH barrier (the simulator diffs the MV) and the cursor FETCH; epoch→client starts at the epoch's rw_timestamp (ms precision), so it is the part the data plane adds plus the simulator's FETCH.");
        return report;
    }
}

public sealed record ThroughputSize(int Clients, int? Tenants, int RowsPerEpoch, double[] Rates, TimeSpan Step);
