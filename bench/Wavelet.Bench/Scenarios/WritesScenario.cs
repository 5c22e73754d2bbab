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
        // Group commit turns concurrency into rows per INSERT: at 10k writes/s and a few ms per request that is hundreds in flight.
        concurrency = settings.Writers ?? (settings.Size == BenchSize.Full ? 256 : concurrency);
        await using var env = await BenchEnvironment.StartAsync(settings, new Seed(0, 1, 0), logger, ct);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = env.DataPlane.BaseUri };
        var tenant = BenchSchema.TenantName(0);
        var token = env.Tokens.For(tenant);
        var latency = new LatencyHistogram();
        long acknowledged = 0;
        long failed = 0;
        env.Simulator.Statements.Clear();
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

        // The data plane's group INSERTs as the engine saw them (the statement log), with the sessions they came on.
        var inserts = env.Simulator.Statements.Snapshot().Where(e => e.Sql.Contains($"\"{BenchSchema.EventName}\"", StringComparison.Ordinal)).ToList();
        var insert = await ProbeInsertAsync(env, concurrency, ct);
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
        report.Notes.Add($"Engine side alone (after the count): one {concurrency}-row parameterised INSERT like a full group, sent by the driver through the same engine endpoint, took {insert.First.TotalMilliseconds:0.#} ms the first time (a statement text new to the engine, as every group size is) and {insert.Median.TotalMilliseconds:0.#} ms as the median of 5 repeats, so with one group in flight per table the engine allows about {concurrency / insert.Median.TotalSeconds:N0} acknowledged rows/s at this concurrency (repeated text) whatever the data plane does.");
        report.Figures["engine_group_insert_ms"] = insert.Median.TotalMilliseconds;
        report.Figures["engine_group_insert_first_ms"] = insert.First.TotalMilliseconds;
        report.Figures["group_inserts"] = inserts.Count;
        if (inserts.Count > 0)
        {
            report.Notes.Add($"Group commit: {stored:N0} rows arrived in {inserts.Count:N0} INSERT statements (mean {(double)stored / inserts.Count:0.#} rows per group) over {inserts.Select(e => e.SessionId).Distinct().Count()} engine sessions.");
        }
        return report;
    }

    /// <summary>Times what one group commit costs the engine: a multi-row INSERT of <paramref name="rows"/> events.</summary>
    private static async Task<(TimeSpan First, TimeSpan Median)> ProbeInsertAsync(BenchEnvironment env, int rows, CancellationToken ct)
    {
        var sql = new StringBuilder($"INSERT INTO {BenchSchema.EventName} (id, tenant) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(${2 * r + 1}, ${2 * r + 2})");
        }

        var times = new List<TimeSpan>();
        await using var connection = await env.Database.OpenConnectionAsync(ct);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql.ToString(), connection);
            for (var r = 0; r < rows; r++)
            {
                command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = $"probe-{attempt}-{r}" });
                command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = "probe" });
            }

            var started = Stopwatch.GetTimestamp();
            await command.ExecuteNonQueryAsync(ct);
            times.Add(Stopwatch.GetElapsedTime(started));
        }

        var first = times[0];
        times.Sort();
        return (first, times[times.Count / 2]);
    }
}
