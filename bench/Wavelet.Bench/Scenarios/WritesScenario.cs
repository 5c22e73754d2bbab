using System.Net.Http.Headers;
using System.Text;

namespace Wavelet.Bench.Scenarios;

/// <summary>
/// Single-event writes: N concurrent clients each POST one event at a time to /v1/events/{name} with a unique id; then
/// the table is counted: every acknowledged event must be stored exactly once.
/// </summary>
public sealed class WritesScenario : IScenario
{
    public string Name => "writes";

    public async Task<ScenarioReport> RunAsync(BenchSettings settings, ILogger logger, CancellationToken ct)
    {
        var (duration, concurrency) = HttpLoadSize.For(settings.Size);
        await using var env = await BenchEnvironment.StartAsync(settings, new Seed(0, 1, 0), logger, ct);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = env.DataPlane.BaseUri };
        var tenant = BenchSchema.TenantName(0);
        var token = env.Tokens.For(tenant);
        var latency = new LatencyHistogram();
        long acknowledged = 0;
        long failed = 0;
        var watch = Stopwatch.StartNew();
        await using var cpu = CpuWindow.Start(env.DataPlane.Pid);
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            for (var i = 0; watch.Elapsed < duration && !ct.IsCancellationRequested; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/events/{BenchSchema.EventName}")
                {
                    Content = new StringContent(string.Create(CultureInfo.InvariantCulture, $"{{\"id\":\"{w}-{i}\",\"tenant\":\"{tenant}\"}}"), Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, ct);
                latency.Record((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref acknowledged : ref failed);
            }
        }, ct)).ToList();
        await Task.WhenAll(workers);
        var elapsed = watch.Elapsed;
        var figures = cpu.Stop();

        await using var count = env.Database.CreateCommand($"SELECT count(*), count(DISTINCT id) FROM {BenchSchema.EventName}");
        await using var reader = await count.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var stored = reader.GetInt64(0);
        var distinct = reader.GetInt64(1);

        var perSecond = acknowledged / elapsed.TotalSeconds;
        var report = new ScenarioReport(Name, $"Single-event writes: {concurrency} concurrent clients, {duration.TotalSeconds:0} s");
        var table = new ResultTable("acknowledged", "failed", "acknowledged/s", "p50 ms", "p99 ms", "max ms", "rows stored", "distinct ids", "data plane CPU %", "driver+sim CPU %", "other CPU %");
        table.Add(acknowledged, failed, Math.Round(perSecond), latency.PercentileMs(50), latency.PercentileMs(99), latency.MaxMs, stored, distinct,
            figures.DataPlaneCpuPercent, figures.DriverCpuPercent, figures.OtherCpuPercent);
        report.Tables.Add(table);
        report.Figures["acknowledged_per_second"] = perSecond;
        report.Figures["failed"] = failed;
        report.Figures["rows_stored"] = stored;
        report.Figures["distinct_ids"] = distinct;
        report.Figures["acknowledged"] = acknowledged;
        report.Notes.Add("Exactly once: rows stored and distinct ids equal the acknowledged count when no request failed (a failed request may or may not have been stored).");
        report.Notes.Add("The driver, the simulator's wire proxy and PostgreSQL share the machine with the data plane.");
        return report;
    }
}
