using Wavelet.DataPlane.Events;

namespace Wavelet.DataPlane.Tests;

/// <summary>Concurrent single-event writes share multi-row INSERTs, acknowledged only after their statement commits.</summary>
public sealed class GroupCommitTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    private static readonly TypedColumn[] Columns = [new("item", "string")];

    [Fact]
    public async Task Single_writes_that_arrive_while_an_insert_runs_go_out_together_and_are_acknowledged_after_it()
    {
        var inner = new GatedWriter();
        var writer = new GroupCommitEventWriter(inner);
        var first = writer.InsertAsync("s", "t", Columns, [["w0"]], CancellationToken.None);
        await Eventually.UntilAsync(() => inner.Calls.Count == 1, "the first insert started");
        var rest = Enumerable.Range(1, 50).Select(i => writer.InsertAsync("s", "t", Columns, [[$"w{i}"]], CancellationToken.None)).ToList();

        Assert.False(first.IsCompleted); // not acknowledged before its statement committed
        inner.Open();
        await Task.WhenAll([first, .. rest]);

        Assert.Equal(2, inner.Calls.Count);
        Assert.Equal(["w0"], inner.Calls[0]);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => $"w{i}"), inner.Calls[1]);
    }

    [Fact]
    public async Task A_group_the_database_rejects_is_retried_row_by_row_so_only_the_bad_row_fails()
    {
        var inner = new GatedWriter { Reject = "bad" };
        var writer = new GroupCommitEventWriter(inner);
        var first = writer.InsertAsync("s", "t", Columns, [["w0"]], CancellationToken.None);
        await Eventually.UntilAsync(() => inner.Calls.Count == 1, "the first insert started");
        var good = writer.InsertAsync("s", "t", Columns, [["good"]], CancellationToken.None);
        var bad = writer.InsertAsync("s", "t", Columns, [["bad"]], CancellationToken.None);
        inner.Open();

        await first;
        await good;
        var error = await Assert.ThrowsAsync<PostgresException>(() => bad);
        Assert.Contains("bad", error.MessageText, StringComparison.Ordinal);
        Assert.Equal(["w0", "good"], inner.Committed);
    }

    [Fact]
    public async Task A_group_whose_outcome_is_unknown_fails_each_of_its_requests_with_the_error()
    {
        var inner = new GatedWriter { Fail = new NpgsqlException("connection lost") };
        var writer = new GroupCommitEventWriter(inner);
        var requests = Enumerable.Range(0, 5).Select(i => writer.InsertAsync("s", "t", Columns, [[$"w{i}"]], CancellationToken.None)).ToList();
        inner.Open();

        foreach (var request in requests)
        {
            var error = await Assert.ThrowsAsync<NpgsqlException>(() => request);
            Assert.Equal("connection lost", error.Message);
        }

        Assert.Empty(inner.Committed);
    }

    [Fact]
    public async Task Concurrent_single_posts_each_acknowledged_are_stored_exactly_once()
    {
        const int Workers = 32;
        const int PerWorker = 25;
        await using var server = await DataPlaneServer.StartAsync(rw, configure: c => c.Limits.WritesPerSecond = 0); // measures group commit, not the per-address write limit
        var token = DataPlaneServer.Token("a");
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWorker; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/events/orders", UriKind.Relative))
                {
                    Content = new StringContent($"{{\"item\":\"gc-{w}-{i}\",\"qty\":1}}", Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await server.Http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }));
        await Task.WhenAll(workers);

        await using var db = server.Rw.CreateDataSource();
        await using var command = db.CreateCommand($"SELECT count(*), count(DISTINCT item) FROM {server.Schema}.orders WHERE item LIKE 'gc-%'");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(Workers * PerWorker, reader.GetInt64(0));
        Assert.Equal(Workers * PerWorker, reader.GetInt64(1));
    }

    /// <summary>An inner writer whose inserts wait until opened; records every call and the rows it committed.</summary>
    private sealed class GatedWriter : IEventWriter
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private readonly List<List<string>> _calls = [];
        private readonly List<string> _committed = [];

        public string? Reject { get; init; }

        public Exception? Fail { get; init; }

        public List<List<string>> Calls
        {
            get
            {
                lock (_gate)
                {
                    return [.. _calls];
                }
            }
        }

        public List<string> Committed
        {
            get
            {
                lock (_gate)
                {
                    return [.. _committed];
                }
            }
        }

        public void Open() => _open.TrySetResult();

        public async Task InsertAsync(string schema, string table, IReadOnlyList<TypedColumn> columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
        {
            var items = rows.Select(r => (string)r[0]!).ToList();
            lock (_gate)
            {
                _calls.Add(items);
            }

            await _open.Task;
            if (Fail is not null)
            {
                throw Fail;
            }

            if (Reject is not null && items.Contains(Reject))
            {
                throw new PostgresException($"value {Reject} violates a check constraint", "ERROR", "ERROR", "23514");
            }

            lock (_gate)
            {
                _committed.AddRange(items);
            }
        }
    }
}
