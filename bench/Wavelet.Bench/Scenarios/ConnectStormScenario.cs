namespace Wavelet.Bench.Scenarios;

/// <summary>
/// Connect storm: N clients connect at once (bounded handshakes in flight) to a filtered query whose state has S rows
/// over T tenants; time until every client has its snapshot, and the database statements issued meanwhile.
/// </summary>
public sealed class ConnectStormScenario : IScenario
{
    public const int HandshakesInFlight = 1000;

    public string Name => "connect-storm";

    public static StormSize SizeFor(BenchSize size) => size switch
    {
        BenchSize.Smoke => new(Clients: 200, StateRows: 1000, Tenants: 100),
        BenchSize.Small => new(Clients: 2000, StateRows: 10_000, Tenants: 1000),
        _ => new(Clients: 10_000, StateRows: 10_000, Tenants: 1000),
    };

    public async Task<ScenarioReport> RunAsync(BenchSettings settings, ILogger logger, CancellationToken ct)
    {
        var size = SizeFor(settings.Size);
        await using var env = await BenchEnvironment.StartAsync(settings, new Seed(size.StateRows, size.Tenants, 0), logger, ct);
        await using var swarm = new ClientSwarm(env.DataPlane.BaseUri, BenchSchema.FilteredQuery, env.Tokens, ClientSwarm.Spread(size.Clients, size.Tenants), BenchSchema.TimestampColumn);
        env.Simulator.Statements.Clear();
        await using var cpu = CpuWindow.Start(env.DataPlane.Pid);
        var watch = Stopwatch.StartNew();
        var handshakes = await swarm.ConnectAllAsync(HandshakesInFlight, withCursor: false, ct);
        await Eventually.UntilAsync(() => swarm.Stats.Snapshots >= size.Clients, $"all {size.Clients} clients have their snapshot", TimeSpan.FromSeconds(120));
        var elapsed = watch.Elapsed;
        var figures = cpu.Stop();
        var statements = StatementCount.Of(env.Simulator.Statements);

        var report = new ScenarioReport(Name, $"Connect storm: {size.Clients:N0} clients, {size.StateRows:N0}-row state over {size.Tenants:N0} tenants");
        report.Tables.Add(new ResultTable("clients", "all snapshots in s", "handshakes done in s", "snapshots/s", "snapshot rows delivered", "statements (non-FETCH)", "FETCH statements", "DB sessions", "data plane CPU %", "driver+sim CPU %", "other CPU %", "data plane peak RSS MB")
            .Add(size.Clients, elapsed.TotalSeconds, handshakes.TotalSeconds, size.Clients / elapsed.TotalSeconds, swarm.Stats.Rows, statements.Other, statements.Fetches, statements.Sessions,
                figures.DataPlaneCpuPercent, figures.DriverCpuPercent, figures.OtherCpuPercent, ResultTable.Mb(figures.DataPlanePeakRssBytes)));
        report.Notes.Add($"At most {HandshakesInFlight} WebSocket handshakes in flight (more overflow the listen backlog and add SYN-retransmit seconds that measure the kernel, not the server).");
        report.Notes.Add("FETCH statements are the feeds' own cursor polls (one per query per second of idle timeout), independent of the number of clients; non-FETCH statements are what connecting clients caused.");
        report.Figures["seconds_to_all_snapshots"] = elapsed.TotalSeconds;
        report.Figures["snapshots_per_second"] = size.Clients / elapsed.TotalSeconds;
        report.Figures["statements_per_connect"] = (double)statements.Other / size.Clients;
        return report;
    }
}

public sealed record StormSize(int Clients, int StateRows, int Tenants);
