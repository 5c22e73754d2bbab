using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wavelet.Bench.Cli;
using Wavelet.Bench.Measure;
using Wavelet.Bench.Scenarios;
using Wavelet.Testing;

namespace Wavelet.Bench.Soak;

/// <summary>
/// Fault-injection soak of the data plane: sequenced writes (HTTP single, HTTP batch, SQL) feed a filtered and an
/// unfiltered query while clients stay subscribed with resume-by-cursor and faults are injected on a schedule. At the
/// end every client's rows are compared with the query's rows in the database. See docs/reliability.md.
/// </summary>
public sealed class SoakScenario : IScenario
{
    public string Name => "soak";

    public async Task<ScenarioReport> RunAsync(BenchSettings settings, ILogger logger, CancellationToken ct)
    {
        var size = SoakSize.For(settings.Size);
        var loadBefore = LoadAverage();
        await using var world = await SoakWorld.StartAsync(settings, logger, ct);
        var address = world.DataPlane.BaseUri;
        var counters = new SoakCounters();
        using var clientsStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var clients = new List<SoakClient>();
        var running = new List<Task>();
        for (var i = 0; i < size.Clients; i++)
        {
            var filtered = i < size.FilteredClients;
            var tenant = filtered ? "t" + (i % size.Tenants).ToString(CultureInfo.InvariantCulture) : null;
            var client = new SoakClient(() => address, filtered ? SoakSchema.FilteredQuery : SoakSchema.UnfilteredQuery, tenant, () => world.Tokens.For(tenant ?? "t0"), counters);
            clients.Add(client);
            running.Add(client.RunAsync(clientsStop.Token));
        }

        // A loaded two-core machine subscribes a few clients per second at the long size (each gets its snapshot parsed).
        var subscribeDeadline = TimeSpan.FromSeconds(Math.Max(120, size.Clients * 0.3));
        var subscribing = Stopwatch.StartNew();
        try
        {
            await Eventually.UntilAsync(() => clients.All(c => c.Connected), "every client is subscribed", subscribeDeadline);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{clients.Count(c => c.Connected)} of {size.Clients} clients subscribed within {subscribeDeadline.TotalSeconds:0} s (load average {LoadAverage()}): see the data plane's log for refusals (429: connection caps) or a loaded machine", e);
        }

        logger.LogInformation("soak: {Count} clients subscribed in {Seconds:0.#} s", size.Clients, subscribing.Elapsed.TotalSeconds);

        var memory = new PeakMemory(() => world.DataPlane.Pid);
        var sampling = memory.RunAsync(clientsStop.Token);
        using var writer = new SoakWriter(address, () => world.Database, () => world.Tokens, size.Tenants);
        using var writesStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writing = writer.RunAsync(size.Writers, size.WriteInterval, writesStop.Token);
        var extraClients = new List<SoakClient>();
        var slowConsumers = new List<Task<string>>();
        var faultsInjected = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var faultLog = new List<string>();
        var stall = size.FaultInterval * 0.8; // over before the next fault, so the stall is the only thing they see

        var report = new ScenarioReport(Name, $"Fault-injection soak: {size.Clients:N0} clients");
        var faults = new List<SoakFault>
        {
            new("feed sessions killed (pg_terminate_backend)", async token =>
            {
                var killed = await world.TerminateFeedSessionsAsync(token);
                report.Figures["feed_sessions_killed"] = report.Figures.GetValueOrDefault("feed_sessions_killed") + killed;
                return $"{killed} sessions";
            }),
            new("reconnect storm", token =>
            {
                foreach (var client in clients)
                {
                    client.Abort();
                }

                return Task.FromResult($"{clients.Count} sockets dropped");
            }),
            new("query added (live reload)", async token =>
            {
                await world.ReloadAsync(ExtraStage.Added, token);
                for (var i = 0; i < size.ExtraClients; i++)
                {
                    var client = new SoakClient(() => address, SoakSchema.ExtraQuery, null, () => world.Tokens.For("t0"), counters, () => world.Extra == ExtraStage.Absent);
                    extraClients.Add(client);
                    running.Add(client.RunAsync(clientsStop.Token));
                }

                return $"{size.ExtraClients} clients subscribe to it";
            }),
            new("slow consumers", token =>
            {
                for (var i = 0; i < size.SlowConsumers; i++)
                {
                    slowConsumers.Add(SlowConsumer.RunAsync(address, $"/subscribe/{SoakSchema.UnfilteredQuery}?token={world.Tokens.For("t0")}", stall, clientsStop.Token));
                }

                return Task.FromResult($"{size.SlowConsumers} clients stop reading for {stall.TotalSeconds:0.#} s");
            }),
            new("query changed (live reload)", async token =>
            {
                await world.ReloadAsync(ExtraStage.Changed, token);
                return "new specHash and subscription";
            }),
            new("JWT settings changed (live reload)", async token =>
            {
                await world.RotateJwtAsync(token);
                return "new secret: every socket closed with 4004, clients reconnect with new tokens and their cursors";
            }),
            new("data plane SIGTERM and restart", async token =>
            {
                var watch = Stopwatch.StartNew();
                await world.RestartDataPlaneAsync(logger, () => counters.Generation++, token);
                return $"ready again after {watch.Elapsed.TotalSeconds:0.0} s";
            }),
            new("query removed (live reload)", async token =>
            {
                await world.ReloadAsync(ExtraStage.Absent, token);
                return "its clients are closed with 4003";
            }),
            new("engine restart (data kept)", async token =>
            {
                var watch = Stopwatch.StartNew();
                await world.RestartEngineAsync(token);
                return $"engine back after {watch.Elapsed.TotalSeconds:0.0} s";
            }),
        };

        using (var schedule = new PeriodicTimer(size.FaultInterval))
        {
            await schedule.WaitForNextTickAsync(ct); // a quiet interval first: latency without faults
            for (var cycle = 0; cycle < size.Cycles; cycle++)
            {
                foreach (var fault in faults)
                {
                    counters.CurrentFault = fault.Name;
                    var detail = await fault.InjectAsync(ct);
                    faultsInjected.AddOrUpdate(fault.Name, 1, (_, n) => n + 1);
                    faultLog.Add($"{fault.Name}: {detail}");
                    logger.LogInformation("soak fault {Fault}: {Detail}", fault.Name, detail);
                    await schedule.WaitForNextTickAsync(ct);
                }
            }
        }

        counters.CurrentFault = null;
        await writesStop.CancelAsync();
        await writing;
        var slowOutcomes = await Task.WhenAll(slowConsumers);
        await world.Engine.BarrierAsync(ct);

        var truth = await TruthAsync(world.Database, size.Tenants, ct);
        var converged = true;
        try
        {
            await Eventually.UntilAsync(() => clients.All(c => Differences(c, truth) == 0), "every client holds its query's rows", TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            converged = false;
        }

        var lostClients = clients.Count(c => Differences(c, truth) > 0);
        var rowDifferences = clients.Sum(c => Differences(c, truth));
        var acknowledged = writer.Acknowledged.ToArray();
        var missingAcknowledged = await MissingAsync(world.Database, acknowledged, ct);
        var extraRemoved = extraClients.Count(c => c.Removed);

        await clientsStop.CancelAsync();
        await Task.WhenAll(running);
        await sampling;
        var loadAfter = LoadAverage();

        var duplicates = counters.DuplicateDiffs + counters.DuplicateRows + counters.DuplicateRowsChangedQuery;
        var fresh = counters.FreshSnapshots.Values.Sum();
        var unexpectedFresh = counters.FreshSnapshots.Where(p => !ExpectedFresh(p.Key)).Sum(p => p.Value);
        report.Tables.Add(new ResultTable("clients", "messages", "diffs", "faults", "clients with lost rows", "acknowledged writes missing", "duplicates", "fresh snapshots", "p99 ms (all)", "p99 ms (during faults)", "peak RSS MiB", "load avg before/after")
            .Add(size.Clients, counters.Messages, counters.Diffs, faultsInjected.Values.Sum(), lostClients, missingAcknowledged, duplicates, fresh,
                counters.AllLatency.PercentileMs(99), counters.FaultLatency.PercentileMs(99), Math.Round(memory.PeakBytes / 1048576.0), $"{loadBefore} / {loadAfter}"));
        report.Tables.Add(new ResultTable("writes acknowledged (HTTP rows)", "HTTP failures", "SQL inserts", "SQL updates", "SQL deletes", "SQL failures", "reconnects", "failed or dropped connects", "resumes with cursor", "extra-query clients stopped by the removal")
            .Add(acknowledged.Length, writer.HttpFailures, writer.SqlInserts, writer.Updates, writer.Deletes, writer.SqlFailures, counters.Connects - size.Clients - size.ExtraClients * size.Cycles, counters.ConnectionFailures, counters.ResumeAttempts, $"{extraRemoved}/{extraClients.Count}"));
        report.Notes.Add("Faults in order: " + string.Join("; ", faultLog) + ".");
        report.Notes.Add("Fresh snapshots by cause: " + Describe(counters.FreshSnapshots) + ".");
        report.Notes.Add("Fresh snapshots by fault in progress: " + Describe(counters.FreshByFault) + ".");
        report.Notes.Add("Duplicates by fault in progress: " + Describe(counters.DuplicatesByFault) + ".");
        var feedWarnings = world.FeedWarnings;
        var startedOver = feedWarnings.Count(l => l.Contains("starting over", StringComparison.Ordinal));
        report.Notes.Add($"Feed recoveries: {feedWarnings.Count - startedOver} resumed since their last epoch, {startedOver} started over with a fresh snapshot.");
        foreach (var line in feedWarnings.Where(l => l.Contains("starting over", StringComparison.Ordinal)))
        {
            report.Notes.Add("Feed started over: `" + line + "`");
        }

        report.Notes.Add("Close codes seen by clients: " + Describe(counters.CloseCodes) + ".");
        report.Notes.Add("Slow consumers: " + Describe(slowOutcomes.GroupBy(o => o).ToDictionary(g => g.Key, g => (long)g.Count())) + ".");
        if (!converged)
        {
            report.Notes.Add($"NOT CONVERGED: {lostClients} clients differ from the database by {rowDifferences} rows.");
        }

        report.Figures["clients"] = size.Clients;
        report.Figures["messages"] = counters.Messages;
        report.Figures["faults"] = faultsInjected.Values.Sum();
        report.Figures["clients_with_lost_rows"] = lostClients;
        report.Figures["row_differences"] = rowDifferences;
        report.Figures["acknowledged"] = acknowledged.Length;
        report.Figures["acknowledged_missing"] = missingAcknowledged;
        report.Figures["duplicate_diffs"] = counters.DuplicateDiffs;
        report.Figures["duplicate_rows"] = counters.DuplicateRows;
        report.Figures["duplicate_rows_changed_query"] = counters.DuplicateRowsChangedQuery;
        report.Figures["unknown_deletes"] = counters.UnknownDeletes;
        report.Figures["fresh_snapshots"] = fresh;
        report.Figures["fresh_snapshots_unexpected"] = unexpectedFresh;
        report.Figures["feeds_started_over"] = startedOver;
        report.Figures["resume_attempts"] = counters.ResumeAttempts;
        report.Figures["extra_clients_removed"] = extraRemoved;
        report.Figures["closed_4004"] = counters.CloseCodes.GetValueOrDefault("4004");
        report.Figures["sql_inserts"] = writer.SqlInserts;
        report.Figures["sql_updates"] = writer.Updates;
        report.Figures["sql_deletes"] = writer.Deletes;
        report.Figures["peak_rss_bytes"] = memory.PeakBytes;
        report.Figures["p99_ms_during_faults"] = counters.FaultLatency.PercentileMs(99);
        foreach (var (fault, count) in faultsInjected)
        {
            report.Figures["fault: " + fault] = count;
        }

        return report;
    }

    /// <summary>
    /// The documented cases: a restarted process has an empty ring, a client without a cursor cannot resume, and the
    /// changed <c>extra</c> query re-snapshots its clients. A feed kill, an engine restart, a reconnect storm and a reload
    /// of another query must not cost the main queries' clients a snapshot.
    /// </summary>
    private static bool ExpectedFresh(string key) =>
        key.Contains("restarted data plane", StringComparison.Ordinal)
        || key.Contains("no cursor", StringComparison.Ordinal)
        || key.StartsWith("extra query, on an open socket", StringComparison.Ordinal);

    private static string Describe<T>(IEnumerable<KeyValuePair<string, T>> counts) =>
        counts.Any() ? string.Join(", ", counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}")) : "none";

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>The rows each client should hold, by query and tenant (null: unfiltered).</summary>
    private static async Task<Dictionary<(string Query, string? Tenant), Dictionary<string, int>>> TruthAsync(NpgsqlDataSource database, int tenants, CancellationToken ct)
    {
        var truth = new Dictionary<(string, string?), Dictionary<string, int>>();
        truth[(SoakSchema.UnfilteredQuery, null)] = await RowsAsync(database, SoakSchema.TruthSql(SoakSchema.ViewOf(SoakSchema.UnfilteredQuery, ExtraStage.Absent), byTenant: false), null, ct);
        for (var t = 0; t < tenants; t++)
        {
            var tenant = "t" + t.ToString(CultureInfo.InvariantCulture);
            truth[(SoakSchema.FilteredQuery, tenant)] = await RowsAsync(database, SoakSchema.TruthSql(SoakSchema.ViewOf(SoakSchema.FilteredQuery, ExtraStage.Absent), byTenant: true), tenant, ct);
        }

        return truth;
    }

    private static async Task<Dictionary<string, int>> RowsAsync(NpgsqlDataSource database, string sql, string? tenant, CancellationToken ct)
    {
        await using var command = database.CreateCommand(sql);
        if (tenant is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        }

        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = SoakClient.Key(reader.GetString(0), reader.GetString(1));
            rows[key] = rows.GetValueOrDefault(key) + 1;
        }

        return rows;
    }

    /// <summary>Rows the client lacks plus rows it holds that the query does not have.</summary>
    private static int Differences(SoakClient client, Dictionary<(string Query, string? Tenant), Dictionary<string, int>> truth)
    {
        var expected = truth[(client.Query, client.Tenant)];
        var held = client.Rows();
        var differences = 0;
        foreach (var key in expected.Keys.Union(held.Keys))
        {
            differences += Math.Abs(expected.GetValueOrDefault(key) - held.GetValueOrDefault(key));
        }

        return differences;
    }

    private static async Task<long> MissingAsync(NpgsqlDataSource database, string[] acknowledged, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"SELECT count(DISTINCT id) FROM {SoakSchema.Table} WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = acknowledged });
        return acknowledged.Length - (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
