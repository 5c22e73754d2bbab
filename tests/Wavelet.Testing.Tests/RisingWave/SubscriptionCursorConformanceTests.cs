namespace Wavelet.Testing.Tests.RisingWave;

/// <summary>The test vectors of shared/reference/risingwave.md, through Npgsql with type loading disabled.</summary>
public sealed class SubscriptionCursorConformanceTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>
{
    private static string NewSchema() => "conf_" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Full_cursor_returns_snapshot_with_null_timestamp_then_inserts_updates_and_deletes()
    {
        var schema = NewSchema();
        await using var db = await RwConnection.OpenAsync(rw, schema);
        await db.ExecAsync("CREATE TABLE t1 (v1 int PRIMARY KEY, v2 int)");
        await db.ExecAsync("INSERT INTO t1 VALUES (1, 2)");
        await db.ExecAsync("FLUSH");
        await db.ExecAsync("CREATE SUBSCRIPTION sub FROM t1 WITH (retention = '1D')");
        await db.ExecAsync("DECLARE cur SUBSCRIPTION CURSOR FOR sub FULL");

        var snapshot = await db.QueryAsync("FETCH NEXT FROM cur");
        Assert.Equal([1, 2, "Insert", null], Assert.Single(snapshot));
        Assert.Empty(await db.QueryAsync("FETCH NEXT FROM cur"));

        await db.ExecAsync("INSERT INTO t1 VALUES (4, 4)");
        await db.ExecAsync("FLUSH");
        await db.ExecAsync("UPDATE t1 SET v2 = 10 WHERE v1 = 4");
        await db.ExecAsync("FLUSH");
        var changes = await db.QueryAsync("FETCH 10 FROM cur");
        Assert.Equal(3, changes.Count);
        Assert.Equal([4, 4, "Insert"], changes[0][..3]);
        Assert.Equal([4, 4, "UpdateDelete"], changes[1][..3]);
        Assert.Equal([4, 10, "UpdateInsert"], changes[2][..3]);
        Assert.Equal(changes[1][3], changes[2][3]);
        Assert.True((long)changes[1][3]! > (long)changes[0][3]!);

        await db.ExecAsync("DELETE FROM t1 WHERE v1 = 4");
        await db.ExecAsync("FLUSH");
        Assert.Equal([4, 10, "Delete"], Assert.Single(await db.QueryAsync("FETCH NEXT FROM cur"))[..3]);
        Assert.Equal(["v1", "v2", "op", "rw_timestamp"], await db.ColumnNamesAsync("FETCH NEXT FROM cur"));
    }

    [Fact]
    public async Task A_write_reaches_a_subscription_through_a_view_over_a_view_and_leaves_others_unchanged()
    {
        await using var db = await RwConnection.OpenAsync(rw, NewSchema());
        await db.ExecAsync("CREATE TABLE base (k int PRIMARY KEY, v int)");
        await db.ExecAsync("CREATE TABLE other (k int PRIMARY KEY, v int)");
        await db.ExecAsync("CREATE MATERIALIZED VIEW doubled AS SELECT k, v * 2 AS v FROM base");
        await db.ExecAsync("CREATE MATERIALIZED VIEW big AS SELECT k, v FROM doubled WHERE v > 10");
        await db.ExecAsync("CREATE SUBSCRIPTION sub_big FROM big WITH (retention = '1D')");
        await db.ExecAsync("CREATE SUBSCRIPTION sub_other FROM other WITH (retention = '1D')");
        await db.ExecAsync("DECLARE c_big SUBSCRIPTION CURSOR FOR sub_big");
        await db.ExecAsync("DECLARE c_other SUBSCRIPTION CURSOR FOR sub_other");

        await db.ExecAsync("INSERT INTO base VALUES (1, 3), (2, 6)");
        await db.ExecAsync("FLUSH");
        await db.ExecAsync("FLUSH");

        Assert.Equal([2, 12, "Insert"], Assert.Single(await db.QueryAsync("FETCH 10 FROM c_big"))[..3]);
        Assert.Empty(await db.QueryAsync("FETCH 10 FROM c_other"));
        await db.ExecAsync("UPDATE other SET v = 1");
        await db.ExecAsync("INSERT INTO other VALUES (5, 5)");
        await db.ExecAsync("FLUSH");
        Assert.Equal([5, 5, "Insert"], Assert.Single(await db.QueryAsync("FETCH 10 FROM c_other"))[..3]);
        Assert.Empty(await db.QueryAsync("FETCH 10 FROM c_big"));
    }

    [Fact]
    public async Task Multi_column_key_rows_come_in_key_order()
    {
        await using var db = await RwConnection.OpenAsync(rw, NewSchema());
        await db.ExecAsync("CREATE TABLE t5 (v1 int, v2 int, v3 int, v4 int, PRIMARY KEY (v1, v2))");
        await db.ExecAsync("INSERT INTO t5 VALUES (6,6,6,6),(6,3,3,3),(5,5,5,5),(5,4,4,4),(7,7,7,7)");
        await db.ExecAsync("FLUSH");
        await db.ExecAsync("CREATE SUBSCRIPTION sub5 FROM t5 WITH (retention = '1D')");
        await db.ExecAsync("DECLARE c5 SUBSCRIPTION CURSOR FOR sub5 FULL");

        var rows = await db.QueryAsync("FETCH 5 FROM c5");
        Assert.Equal(new[] { (5, 4), (5, 5), (6, 3), (6, 6), (7, 7) }, rows.Select(r => ((int)r[0]!, (int)r[1]!)));
        Assert.All(rows, r => Assert.Equal("Insert", r[4]));
    }

    [Fact]
    public async Task A_full_cursor_declared_while_barriers_run_never_replays_a_change_its_snapshot_already_holds()
    {
        var schema = NewSchema();
        await using var db = await RwConnection.OpenAsync(rw, schema);
        await using var writer = await RwConnection.OpenAsync(rw, schema);
        await db.ExecAsync("CREATE TABLE t (k int PRIMARY KEY)");
        await db.ExecAsync("CREATE SUBSCRIPTION sub FROM t WITH (retention = '1D')");
        using var stop = new CancellationTokenSource();
        var writes = Task.Run(async () =>
        {
            for (var k = 0; !stop.IsCancellationRequested; k++)
            {
                await writer.ExecAsync($"INSERT INTO t VALUES ({k})");
                await writer.ExecAsync("FLUSH");
            }
        });

        try
        {
            // Each key is inserted once, so a key seen twice (in the snapshot and again as a change) is a replay.
            for (var i = 0; i < 60; i++)
            {
                await db.ExecAsync($"DECLARE c{i} SUBSCRIPTION CURSOR FOR sub FULL");
                var keys = (await db.QueryAsync($"FETCH 100000 FROM c{i}")).Select(r => (int)r[0]!).ToList();
                Assert.Equal(keys.Count, keys.Distinct().Count());
                await db.ExecAsync($"CLOSE c{i}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writes;
        }
    }

    [Fact]
    public async Task Since_resume_is_inclusive_of_the_given_epoch()
    {
        await using var db = await RwConnection.OpenAsync(rw, NewSchema());
        await db.ExecAsync("CREATE TABLE t (id int PRIMARY KEY, v int)");
        await db.ExecAsync("CREATE SUBSCRIPTION s FROM t WITH (retention = '1h')");
        await db.ExecAsync("DECLARE c SUBSCRIPTION CURSOR FOR s");
        await db.ExecAsync("INSERT INTO t VALUES (1, 1)");
        await db.ExecAsync("FLUSH");
        await db.ExecAsync("INSERT INTO t VALUES (2, 2)");
        await db.ExecAsync("FLUSH");
        var all = await db.QueryAsync("FETCH 10 FROM c");
        Assert.Equal(2, all.Count);
        var secondEpoch = (long)all[1][3]!;

        await db.ExecAsync($"DECLARE again SUBSCRIPTION CURSOR FOR s SINCE {secondEpoch}");
        var resumed = await db.QueryAsync("FETCH 10 FROM again");
        Assert.Equal([2, 2, "Insert", secondEpoch], Assert.Single(resumed));
    }

    [Fact]
    public async Task Blocking_fetch_returns_as_soon_as_a_change_arrives_and_empty_at_the_timeout()
    {
        var schema = NewSchema();
        await using var reader = await RwConnection.OpenAsync(rw, schema);
        await using var writer = await RwConnection.OpenAsync(rw, schema);
        await reader.ExecAsync("CREATE TABLE t (id int PRIMARY KEY)");
        await reader.ExecAsync("CREATE SUBSCRIPTION s FROM t WITH (retention = '1h')");
        await reader.ExecAsync("DECLARE c SUBSCRIPTION CURSOR FOR s");

        var pending = reader.QueryAsync("FETCH 100 FROM c WITH (timeout = '30s')");
        Assert.False(pending.IsCompleted);
        await writer.ExecAsync("INSERT INTO t VALUES (42)");
        var rows = await pending.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(42, Assert.Single(rows)[0]);

        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.Empty(await reader.QueryAsync("FETCH 100 FROM c WITH (timeout = '1s')"));
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(900), $"returned after {started.Elapsed}");
    }

    [Fact]
    public async Task Aggregated_view_changes_are_update_pairs_keyed_by_group_by_columns()
    {
        await using var db = await RwConnection.OpenAsync(rw, NewSchema());
        await db.ExecAsync("CREATE TABLE scores (player varchar, score int)");
        await db.ExecAsync("CREATE MATERIALIZED VIEW totals AS SELECT player, sum(score)::bigint AS total FROM scores GROUP BY player");
        await db.ExecAsync("CREATE SUBSCRIPTION totals_sub FROM totals WITH (retention = '1h')");
        await db.ExecAsync("DECLARE c SUBSCRIPTION CURSOR FOR totals_sub");
        await db.ExecAsync("INSERT INTO scores VALUES ('ann', 5), ('bob', 1)");
        await db.ExecAsync("FLUSH");
        await db.ExecAsync("INSERT INTO scores VALUES ('ann', 2)");
        await db.ExecAsync("FLUSH");

        var rows = await db.QueryAsync("FETCH 10 FROM c");
        Assert.Equal(["ann", 5L, "Insert"], rows[0][..3]);
        Assert.Equal(["bob", 1L, "Insert"], rows[1][..3]);
        Assert.Equal(["ann", 5L, "UpdateDelete"], rows[2][..3]);
        Assert.Equal(["ann", 7L, "UpdateInsert"], rows[3][..3]);
    }

    [Fact]
    public async Task Dropping_a_view_with_a_subscription_is_refused_until_the_subscription_is_dropped()
    {
        var schema = NewSchema();
        await using (var first = await RwConnection.OpenAsync(rw, schema))
        {
            await first.ExecAsync("CREATE TABLE t (id int)");
            await first.ExecAsync("CREATE MATERIALIZED VIEW mv AS SELECT id FROM t");
            await first.ExecAsync("CREATE SUBSCRIPTION s FROM mv WITH (retention = '1h')");
            var error = await Assert.ThrowsAsync<PostgresException>(() => first.ExecAsync("DROP MATERIALIZED VIEW mv"));
            Assert.Contains("depend on it", error.MessageText, StringComparison.Ordinal);
            Assert.Equal("XX000", error.SqlState);
        }

        // Npgsql closes the connection after an XX000 error, as it does against RisingWave: clients reconnect.
        await using var db = await RwConnection.OpenAsync(rw, schema);
        await db.ExecAsync("DROP SUBSCRIPTION s");
        await db.ExecAsync("DROP MATERIALIZED VIEW mv");
        await db.ExecAsync("DROP SUBSCRIPTION IF EXISTS s");
    }

    [Fact]
    public async Task Catalog_shows_views_subscriptions_with_retention_and_visible_columns()
    {
        var schema = NewSchema();
        await using var db = await RwConnection.OpenAsync(rw, schema);
        await db.ExecAsync("CREATE TABLE events (tenant varchar, amount double)");
        await db.ExecAsync("CREATE MATERIALIZED VIEW per_tenant AS SELECT tenant, count(*) AS n, sum(amount) AS total FROM events GROUP BY tenant");
        await db.ExecAsync("CREATE SUBSCRIPTION per_tenant_sub FROM per_tenant WITH (retention = '2h')");

        var retention = await db.QueryAsync(
            $"SELECT s.retention_seconds FROM rw_catalog.rw_subscriptions s JOIN rw_catalog.rw_schemas n ON n.id = s.schema_id WHERE n.name = '{schema}' AND s.name = 'per_tenant_sub'");
        Assert.Equal(7200L, Convert.ToInt64(Assert.Single(retention)[0], System.Globalization.CultureInfo.InvariantCulture));

        var columns = await db.QueryAsync(
            $"SELECT c.name, c.data_type FROM rw_catalog.rw_columns c JOIN rw_catalog.rw_materialized_views m ON m.id = c.relation_id JOIN rw_catalog.rw_schemas n ON n.id = m.schema_id WHERE n.name = '{schema}' AND m.name = 'per_tenant' AND NOT c.is_hidden ORDER BY c.position");
        Assert.Equal(new[] { ("tenant", "character varying"), ("n", "bigint"), ("total", "double precision") },
            columns.Select(r => ((string)r[0]!, (string)r[1]!)));

        var tables = await db.QueryAsync(
            $"SELECT t.name FROM rw_catalog.rw_tables t JOIN rw_catalog.rw_schemas n ON n.id = t.schema_id WHERE n.name = '{schema}'");
        Assert.Equal("events", Assert.Single(tables)[0]);
    }

    [Fact]
    public async Task Since_older_than_retention_is_refused_with_risingwaves_message()
    {
        await using var db = await RwConnection.OpenAsync(rw, NewSchema());
        await db.ExecAsync("CREATE TABLE t (id int)");
        await db.ExecAsync("CREATE SUBSCRIPTION s FROM t WITH (retention = '1h')");
        var tooOld = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds();

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecAsync($"DECLARE c SUBSCRIPTION CURSOR FOR s SINCE {tooOld}"));
        Assert.Contains("rw_timestamp is too small", error.MessageText, StringComparison.Ordinal);
    }
}
