namespace Wavelet.Bench.Scenarios;

/// <summary>
/// Resume storm: every client holds a cursor, all connections drop at once (as when a replica goes away in a rolling
/// update), one epoch is written while they are away, and all reconnect with their cursors. Measures the time until
/// every client has caught up and how many needed a snapshot instead of a replay from the epoch ring.
/// </summary>
public sealed class ResumeStormScenario : IScenario
{
    public string Name => "resume-storm";

    public async Task<ScenarioReport> RunAsync(BenchSettings settings, ILogger logger, CancellationToken ct)
    {
        var size = ConnectStormScenario.SizeFor(settings.Size);
        await using var env = await BenchEnvironment.StartAsync(settings, new Seed(size.StateRows, size.Tenants, 0), logger, ct);
        await using var swarm = new ClientSwarm(env.DataPlane.BaseUri, BenchSchema.FilteredQuery, env.Tokens, ClientSwarm.Spread(size.Clients, size.Tenants), BenchSchema.TimestampColumn);
        await swarm.ConnectAllAsync(ConnectStormScenario.HandshakesInFlight, withCursor: false, ct);
        await Eventually.UntilAsync(() => swarm.Stats.Snapshots >= size.Clients, "all clients have their snapshot", TimeSpan.FromSeconds(120));

        var writer = new ChangeWriter(env.Database, BenchSchema.FilteredTable, size.Tenants, size.StateRows / size.Tenants);
        await writer.WriteEpochAsync(size.Tenants, ct);
        await Eventually.UntilAsync(() => swarm.CountWhere(c => c.LastCursor is not null) == size.Clients, "every client has a cursor", TimeSpan.FromSeconds(60));

        await swarm.DropAllAsync();
        await writer.WriteEpochAsync(size.Tenants, ct);
        var snapshotsBefore = swarm.Stats.Snapshots;
        var diffsBefore = swarm.Clients.ToDictionary(c => c, c => c.DiffsReceived + c.SnapshotsReceived);
        env.Simulator.Statements.Clear();
        await using var cpu = CpuWindow.Start(env.DataPlane.Pid);
        var watch = Stopwatch.StartNew();
        await swarm.ConnectAllAsync(ConnectStormScenario.HandshakesInFlight, withCursor: true, ct);
        await Eventually.UntilAsync(
            () => swarm.Clients.All(c => c.DiffsReceived + c.SnapshotsReceived > diffsBefore[c]),
            "every reconnected client has the missed epoch (replayed) or a snapshot",
            TimeSpan.FromSeconds(120));
        var elapsed = watch.Elapsed;
        var figures = cpu.Stop();
        var statements = StatementCount.Of(env.Simulator.Statements);
        var snapshots = swarm.Stats.Snapshots - snapshotsBefore;

        var report = new ScenarioReport(Name, $"Resume storm: {size.Clients:N0} clients drop and reconnect with their cursors");
        report.Tables.Add(new ResultTable("clients", "all resumed in s", "resumes/s", "needed a snapshot", "replayed from ring", "statements (non-FETCH)", "data plane CPU %", "driver+sim CPU %", "other CPU %")
            .Add(size.Clients, elapsed.TotalSeconds, size.Clients / elapsed.TotalSeconds, snapshots, size.Clients - snapshots, statements.Other,
                figures.DataPlaneCpuPercent, figures.DriverCpuPercent, figures.OtherCpuPercent));
        report.Notes.Add("The clients drop without a close handshake and the data plane keeps running (the clients' replica vanished, another one serves them); a restarted replica starts with an empty ring and would serve snapshots.");
        report.Figures["seconds_to_all_resumed"] = elapsed.TotalSeconds;
        report.Figures["snapshots_needed"] = snapshots;
        report.Figures["statements_per_resume"] = (double)statements.Other / size.Clients;
        return report;
    }
}
