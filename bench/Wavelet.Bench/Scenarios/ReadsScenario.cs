namespace Wavelet.Bench.Scenarios;

/// <summary>
/// Reads: GET /v1/queries/{name} under load, on the filtered query (tenant from the token; 10 rows of a 10k-row
/// state), the same with a column filter (1 row), and on an unfiltered query of 10 rows.
/// </summary>
public sealed class ReadsScenario : IScenario
{
    public string Name => "reads";

    public async Task<ScenarioReport> RunAsync(BenchSettings settings, ILogger logger, CancellationToken ct)
    {
        var (duration, connections) = HttpLoadSize.For(settings.Size);
        const int tenants = 1000;
        await using var env = await BenchEnvironment.StartAsync(settings, new Seed(10 * tenants, tenants, 10), logger, ct);
        var load = new HttpLoad(logger);
        var baseUri = env.DataPlane.BaseUri;
        var cases = new (string Label, Uri Url, string Token)[]
        {
            ("filtered query, tenant from token (10 of 10,000 rows)", new Uri(baseUri, $"/v1/queries/{BenchSchema.FilteredQuery}"), env.Tokens.For(BenchSchema.TenantName(7))),
            ("filtered query + ?slot=3 (1 row)", new Uri(baseUri, $"/v1/queries/{BenchSchema.FilteredQuery}?slot=3"), env.Tokens.For(BenchSchema.TenantName(7))),
            ("unfiltered query (10 rows)", new Uri(baseUri, $"/v1/queries/{BenchSchema.BroadcastQuery}"), env.Tokens.For(null)),
        };

        var report = new ScenarioReport(Name, $"Reads: GET /v1/queries/{{name}}, {connections} connections, {duration.TotalSeconds:0} s each");
        var table = new ResultTable("request", "tool", "requests", "failed", "requests/s", "p50 ms", "p99 ms", "max ms", "statements (non-FETCH)", "data plane CPU %", "load tool+driver+other CPU %");
        for (var i = 0; i < cases.Length; i++)
        {
            var (label, url, token) = cases[i];
            env.Simulator.Statements.Clear();
            await using var cpu = CpuWindow.Start(env.DataPlane.Pid);
            var result = await load.RunAsync(url, token, connections, duration, ct);
            var figures = cpu.Stop();
            var statements = StatementCount.Of(env.Simulator.Statements);
            table.Add(label, result.Tool, result.Requests, result.Failures, result.RequestsPerSecond, result.P50Ms, result.P99Ms, result.MaxMs, statements.Other,
                figures.DataPlaneCpuPercent, figures.MachineBusyPercent - figures.DataPlaneCpuPercent);
            report.Figures[$"requests_per_second_{i}"] = result.RequestsPerSecond;
            report.Figures[$"failures_{i}"] = result.Failures;
            report.Figures[$"statements_{i}"] = statements.Other;
        }

        report.Tables.Add(table);
        report.Notes.Add("wrk runs on the same two cores as the data plane; with both saturated, requests/s is shared-CPU bound.");
        return report;
    }
}
