namespace Wavelet.Bench.Scenarios;

/// <summary>Memory per idle connection: the data plane's RSS with N idle subscribers minus its RSS before, over N.</summary>
public sealed class IdleMemoryScenario : IScenario
{
    public string Name => "idle-memory";

    public static int ClientsFor(BenchSize size) => size switch
    {
        BenchSize.Smoke => 200,
        BenchSize.Small => 2000,
        _ => 10_000,
    };

    public async Task<ScenarioReport> RunAsync(BenchSettings settings, ILogger logger, CancellationToken ct)
    {
        var clients = ClientsFor(settings.Size);
        const int tenants = 1000;
        await using var env = await BenchEnvironment.StartAsync(settings, new Seed(tenants, tenants, 0), logger, ct);
        var settle = settings.Size == BenchSize.Smoke ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(3);
        var before = await SettledRssAsync(env.DataPlane.Pid, settle, ct);
        await using var swarm = new ClientSwarm(env.DataPlane.BaseUri, BenchSchema.FilteredQuery, env.Tokens, ClientSwarm.Spread(clients, tenants), BenchSchema.TimestampColumn);
        await swarm.ConnectAllAsync(ConnectStormScenario.HandshakesInFlight, withCursor: false, ct);
        await Eventually.UntilAsync(() => swarm.Stats.Snapshots >= clients, "every client has its snapshot", TimeSpan.FromSeconds(120));
        var after = await SettledRssAsync(env.DataPlane.Pid, settle, ct);
        var perConnection = (double)(after - before) / clients;

        var report = new ScenarioReport(Name, $"Memory per idle connection: {clients:N0} idle subscribers");
        report.Tables.Add(new ResultTable("idle clients", "RSS before MB", "RSS with clients MB", "KB per connection")
            .Add(clients, ResultTable.Mb(before), ResultTable.Mb(after), perConnection / 1024));
        report.Notes.Add($"RSS is the median of samples over {settle.TotalSeconds:0} s after the data plane settled; the data plane runs with its own GC settings (ASP.NET Core default: server GC), which reserves memory ahead of use.");
        report.Figures["kb_per_idle_connection"] = perConnection / 1024;
        return report;
    }

    /// <summary>Median RSS over a few seconds: a single sample catches the GC mid-cycle.</summary>
    private static async Task<long> SettledRssAsync(int pid, TimeSpan settle, CancellationToken ct)
    {
        var samples = new List<long>();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var until = DateTimeOffset.UtcNow + settle;
        while (DateTimeOffset.UtcNow < until && await timer.WaitForNextTickAsync(ct))
        {
            samples.Add(ProcFs.ReadProcess(pid, TimeProvider.System).RssBytes);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }
}
