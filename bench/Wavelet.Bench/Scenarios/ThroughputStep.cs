namespace Wavelet.Bench.Scenarios;

/// <summary>
/// One load step: write epochs at a rate for a while, wait (bounded) for every expected diff to arrive, and measure
/// delivered messages/s (from the first write to the last delivery), latencies, CPU, RSS and slow-consumer closes.
/// Sustainable = at least 95% of the expected diffs delivered within the drain window, none dropped as slow, and the
/// epoch-to-client p99 under a second (the clients keep up instead of falling behind).
/// </summary>
public static class ThroughputStep
{
    private static readonly TimeSpan DrainWindow = TimeSpan.FromSeconds(5);

    public static async Task<StepResult> RunAsync(BenchEnvironment env, ClientSwarm swarm, ChangeWriter writer, int rowsPerEpoch, double epochsPerSecond, TimeSpan duration, CancellationToken ct)
    {
        var stats = swarm.Stats;
        var diffsBefore = stats.Diffs;
        var rowsBefore = stats.Rows;
        var slowBefore = stats.SlowConsumerCloses;
        stats.ResetLatency();
        var watch = Stopwatch.StartNew();
        await using var cpu = CpuWindow.Start(env.Server.Pid);
        var written = await writer.RunAsync(rowsPerEpoch, epochsPerSecond, duration, ct);
        var expected = (long)written.Epochs * swarm.Clients.Count;
        var lastSeen = stats.Diffs;
        var lastProgress = watch.Elapsed;
        try
        {
            await Eventually.UntilAsync(
                () =>
                {
                    var now = stats.Diffs;
                    if (now != lastSeen)
                    {
                        lastSeen = now;
                        lastProgress = watch.Elapsed;
                    }

                    return now - diffsBefore >= expected;
                },
                "every client has every epoch's diff",
                DrainWindow);
        }
        catch (TimeoutException)
        {
            // not all delivered: reported as a shortfall below
        }

        var figures = cpu.Stop();
        var delivered = stats.Diffs - diffsBefore;
        var elapsed = delivered >= expected ? watch.Elapsed : lastProgress;
        return new StepResult(
            TargetEpochsPerSecond: epochsPerSecond,
            AchievedEpochsPerSecond: written.EpochsPerSecond,
            ExpectedMessages: expected,
            DeliveredMessages: delivered,
            MessagesPerSecond: delivered / elapsed.TotalSeconds,
            RowsPerSecond: (stats.Rows - rowsBefore) / elapsed.TotalSeconds,
            WriteP50Ms: stats.WriteToClient.PercentileMs(50),
            WriteP99Ms: stats.WriteToClient.PercentileMs(99),
            WriteMaxMs: stats.WriteToClient.MaxMs,
            EpochP50Ms: stats.EpochToClient.PercentileMs(50),
            EpochP99Ms: stats.EpochToClient.PercentileMs(99),
            EpochMaxMs: stats.EpochToClient.MaxMs,
            SlowConsumerCloses: stats.SlowConsumerCloses - slowBefore,
            Cpu: figures);
    }

    public static ResultTable Table() => new(
        "target epochs/s", "written epochs/s", "delivered msgs", "of expected", "msgs/s", "rows/s",
        "write→client p50/p99/max ms", "epoch→client p50/p99/max ms", "slow closes", "data plane CPU %", "driver+sim CPU %", "other CPU %", "data plane peak RSS MB", "sustained");

    public static void AddTo(ResultTable table, StepResult r) => table.Add(
        r.TargetEpochsPerSecond,
        r.AchievedEpochsPerSecond,
        r.DeliveredMessages,
        $"{100.0 * r.DeliveredMessages / Math.Max(1, r.ExpectedMessages):0.#}%",
        r.MessagesPerSecond,
        r.RowsPerSecond,
        $"{ResultTable.Format(r.WriteP50Ms)} / {ResultTable.Format(r.WriteP99Ms)} / {ResultTable.Format(r.WriteMaxMs)}",
        $"{ResultTable.Format(r.EpochP50Ms)} / {ResultTable.Format(r.EpochP99Ms)} / {ResultTable.Format(r.EpochMaxMs)}",
        r.SlowConsumerCloses,
        r.Cpu.DataPlaneCpuPercent,
        r.Cpu.DriverCpuPercent,
        r.Cpu.OtherCpuPercent,
        ResultTable.Mb(r.Cpu.DataPlanePeakRssBytes),
        r.Sustainable ? "yes" : "no");
}

public sealed record StepResult(
    double TargetEpochsPerSecond,
    double AchievedEpochsPerSecond,
    long ExpectedMessages,
    long DeliveredMessages,
    double MessagesPerSecond,
    double RowsPerSecond,
    double WriteP50Ms,
    double WriteP99Ms,
    double WriteMaxMs,
    double EpochP50Ms,
    double EpochP99Ms,
    double EpochMaxMs,
    long SlowConsumerCloses,
    CpuFigures Cpu)
{
    public bool Sustainable =>
        ExpectedMessages > 0 && DeliveredMessages >= 0.95 * ExpectedMessages && SlowConsumerCloses == 0 && EpochP99Ms < 1000;
}
