using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using Wavelet.Bench.Clients;

namespace Wavelet.Bench.Soak;

/// <summary>
/// Sequenced writes in rotation: an HTTP single event, an HTTP batch, a direct SQL insert, an SQL update (moves a row
/// between versions, so in and out of the <c>even</c> query) and an SQL delete of an SQL-written row. Every id is unique;
/// HTTP writes the data plane acknowledged are remembered for the end check. Failed requests (a restarting data plane)
/// are counted, not retried: they may or may not have been stored, and the end check compares against the table anyway.
/// </summary>
public sealed class SoakWriter : IDisposable
{
    private const int BatchRows = 5;
    private readonly HttpClient _http;
    private readonly Func<NpgsqlDataSource> _database;
    private readonly Func<TokenFactory> _tokens;
    private readonly int _tenants;
    private readonly ConcurrentQueue<string> _sqlIds = new();
    private long _sequence;
    private long _updates;
    private long _deletes;
    private long _sqlInserts;
    private long _httpFailures;
    private long _sqlFailures;

    public SoakWriter(Uri address, Func<NpgsqlDataSource> database, Func<TokenFactory> tokens, int tenants)
    {
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        _database = database;
        _tokens = tokens;
        _tenants = tenants;
    }

    public ConcurrentBag<string> Acknowledged { get; } = [];

    public long SqlInserts => Interlocked.Read(ref _sqlInserts);

    public long Updates => Interlocked.Read(ref _updates);

    public long Deletes => Interlocked.Read(ref _deletes);

    public long HttpFailures => Interlocked.Read(ref _httpFailures);

    public long SqlFailures => Interlocked.Read(ref _sqlFailures);

    public void Dispose() => _http.Dispose();

    /// <summary>Runs <paramref name="workers"/> writers, each one operation per <paramref name="interval"/>, until cancelled.</summary>
    public Task RunAsync(int workers, TimeSpan interval, CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => WorkerAsync(w, interval, ct)));

    private async Task WorkerAsync(int worker, TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        var step = worker;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                // Tenant from step / 5, not step: otherwise, with a tenant count that shares a factor with the five
                // operations, some tenants would only ever get updates and deletes of other tenants' rows.
                var tenant = "t" + (step / 5 % _tenants).ToString(CultureInfo.InvariantCulture);
                try
                {
                    await ((step % 5) switch
                    {
                        0 => PostSingleAsync(tenant, ct),
                        1 => PostBatchAsync(tenant, ct),
                        2 => InsertSqlAsync(tenant, ct),
                        3 => UpdateSqlAsync(ct),
                        _ => DeleteSqlAsync(ct),
                    });
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref _httpFailures);
                }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _httpFailures);
                }
                catch (Exception e) when (e is NpgsqlException or ObjectDisposedException)
                {
                    // the engine is restarting (its data source is replaced)
                    Interlocked.Increment(ref _sqlFailures);
                }

                step++;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private string NextId(string prefix) => prefix + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);

    private static string Event(string id, string tenant) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"id\":\"{id}\",\"tenant\":\"{tenant}\",\"v\":0,\"written_at\":{UnixClock.NowMicros()}}}");

    private async Task PostSingleAsync(string tenant, CancellationToken ct)
    {
        var id = NextId("h");
        if (await PostAsync($"/v1/events/{SoakSchema.Table}", Event(id, tenant), tenant, ct))
        {
            Acknowledged.Add(id);
        }
    }

    private async Task PostBatchAsync(string tenant, CancellationToken ct)
    {
        var ids = Enumerable.Range(0, BatchRows).Select(_ => NextId("b")).ToList();
        if (await PostAsync($"/v1/events/{SoakSchema.Table}/batch", "[" + string.Join(',', ids.Select(id => Event(id, tenant))) + "]", tenant, ct))
        {
            foreach (var id in ids)
            {
                Acknowledged.Add(id);
            }
        }
    }

    private async Task<bool> PostAsync(string path, string body, string tenant, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens().For(tenant));
        using var response = await _http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _httpFailures);
        }

        return response.IsSuccessStatusCode;
    }

    private async Task InsertSqlAsync(string tenant, CancellationToken ct)
    {
        var id = NextId("s");
        await using var command = _database().CreateCommand($"INSERT INTO {SoakSchema.Table} (id, tenant, v, written_at) VALUES ($1, $2, 0, $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = UnixClock.NowMicros() });
        await command.ExecuteNonQueryAsync(ct);
        Interlocked.Increment(ref _sqlInserts);
        _sqlIds.Enqueue(id);
    }

    /// <summary>Bumps the version of an acknowledged HTTP row (the row stays, its version changes).</summary>
    private async Task UpdateSqlAsync(CancellationToken ct)
    {
        if (!Acknowledged.TryPeek(out var id))
        {
            return;
        }

        await using var command = _database().CreateCommand($"UPDATE {SoakSchema.Table} SET v = v + 1, written_at = $1 WHERE id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = UnixClock.NowMicros() });
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await command.ExecuteNonQueryAsync(ct);
        Interlocked.Increment(ref _updates);
    }

    /// <summary>Deletes the oldest SQL-written row (never an acknowledged HTTP row, which the end check looks for).</summary>
    private async Task DeleteSqlAsync(CancellationToken ct)
    {
        if (!_sqlIds.TryDequeue(out var id))
        {
            return;
        }

        await using var command = _database().CreateCommand($"DELETE FROM {SoakSchema.Table} WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await command.ExecuteNonQueryAsync(ct);
        Interlocked.Increment(ref _deletes);
    }
}
