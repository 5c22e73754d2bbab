namespace Wavelet.Operator.Tests.Ddl;

/// <summary>DdlManager against the RisingWave simulator (or a real RisingWave when WAVELET_TEST_RISINGWAVE_URL is set).</summary>
public sealed class DdlManagerTests(RisingWaveFixture rw) : DdlTest(rw)
{
    private static readonly Regex Writes = new(@"^\s*(CREATE|DROP|ALTER|INSERT|DELETE|UPDATE)\b", RegexOptions.IgnoreCase);

    private static WaveletProject Leaderboard(string name) => Create(name)
        .WithEvent("game_events", ("player", ColumnTypes.String), ("score", ColumnTypes.Int))
        .WithQuery("leaderboard", "SELECT player, sum(score)::bigint AS total FROM game_events GROUP BY player");

    [Fact]
    public async Task Sync_from_empty_creates_everything_and_a_second_sync_executes_no_ddl()
    {
        var project = Leaderboard(UniqueName("lb"));

        var first = await Ddl.SyncAsync(project);

        Assert.Contains(new DdlAction("create", "event", "game_events"), first.Actions);
        Assert.Contains(new DdlAction("create", "query", "leaderboard"), first.Actions);
        Assert.Contains(new DdlAction("create", "subscription", "wavelet_sub_leaderboard"), first.Actions);

        Rw.Simulator?.Statements.Clear();
        var second = await Ddl.SyncAsync(project);

        Assert.All(second.Actions, a => Assert.Equal("unchanged", a.Type));
        Assert.Equal(0, second.StatementsExecuted);
        if (Rw.Simulator is { } sim)
        {
            Assert.DoesNotContain(sim.Statements.Snapshot(), s => Writes.IsMatch(s.Sql));
        }
    }

    [Fact]
    public async Task A_sync_that_writes_metadata_flushes_once_and_an_unchanged_sync_costs_two_reads()
    {
        if (Rw.Simulator is not { } sim)
        {
            return; // statement counts need the simulator's log
        }

        var project = Leaderboard(UniqueName("flush"));
        sim.Statements.Clear();
        await Ddl.SyncAsync(project);
        var first = sim.Statements.Snapshot().Select(s => s.Sql.Trim()).ToList();
        // One FLUSH after the schema claim (so a concurrent claim reads it), one after the objects' rows.
        Assert.Equal(2, first.Count(s => s.Equals("FLUSH", StringComparison.OrdinalIgnoreCase)));
        var flush = first.FindLastIndex(s => s.Equals("FLUSH", StringComparison.OrdinalIgnoreCase));
        Assert.True(flush > first.FindLastIndex(s => s.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)), "FLUSH follows the last metadata row");
        Assert.DoesNotContain(first, s => s.Contains("IMPLICIT_FLUSH", StringComparison.OrdinalIgnoreCase));

        sim.Statements.Clear();
        await Ddl.SyncAsync(project);
        var second = sim.Statements.Snapshot();
        Assert.Equal(2, second.Count); // the catalog in one query, then the metadata table
        Assert.DoesNotContain(second, s => s.Sql.Trim().Equals("FLUSH", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Returned_columns_are_the_views_columns_in_order()
    {
        var result = await Ddl.SyncAsync(Leaderboard(UniqueName("cols")));

        var query = Assert.Single(result.Queries);
        Assert.Equal("wavelet_sub_leaderboard", query.Subscription);
        Assert.Equal([new ActualColumn("player", "character varying"), new ActualColumn("total", "bigint")], query.Columns);
    }

    [Fact]
    public async Task Changed_sql_drops_subscription_and_view_then_recreates_both()
    {
        var project = Leaderboard(UniqueName("chg"));
        await Ddl.SyncAsync(project);
        project.WithQuery("leaderboard", "SELECT player, max(score) AS best FROM game_events GROUP BY player");

        Rw.Simulator?.Statements.Clear();
        var result = await Ddl.SyncAsync(project);

        Assert.Contains(result.Actions, a => a is { Type: "update", Resource: "query", Name: "leaderboard" });
        Assert.Contains(result.Actions, a => a is { Type: "update", Resource: "subscription" });
        Assert.Equal(["best"], result.Queries.Single().Columns.Skip(1).Select(c => c.Name));
        if (Rw.Simulator is { } sim)
        {
            var ddl = sim.Statements.Snapshot().Select(s => s.Sql).Where(s => Writes.IsMatch(s) && !s.StartsWith("INSERT", StringComparison.Ordinal) && !s.StartsWith("DELETE", StringComparison.Ordinal)).ToList();
            Assert.Equal(4, ddl.Count);
            Assert.StartsWith("DROP SUBSCRIPTION", ddl[0], StringComparison.Ordinal);
            Assert.StartsWith("DROP MATERIALIZED VIEW", ddl[1], StringComparison.Ordinal);
            Assert.StartsWith("CREATE MATERIALIZED VIEW", ddl[2], StringComparison.Ordinal);
            Assert.StartsWith("CREATE SUBSCRIPTION", ddl[3], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Adding_and_removing_a_query_creates_and_drops_it_with_its_subscription()
    {
        var name = UniqueName("addrm");
        var project = Leaderboard(name).WithQuery("top_players", "SELECT player FROM game_events WHERE score > 100");
        var added = await Ddl.SyncAsync(project);
        Assert.Contains(new DdlAction("create", "query", "top_players"), added.Actions);

        var removed = await Ddl.SyncAsync(project.Without("top_players"));

        Assert.Contains(new DdlAction("delete", "subscription", "wavelet_sub_top_players"), removed.Actions);
        Assert.Contains(new DdlAction("delete", "query", "top_players"), removed.Actions);
        Assert.False(await ExistsAsync($"SELECT 1 FROM rw_catalog.rw_materialized_views WHERE name = 'top_players' AND schema_id = (SELECT id FROM rw_catalog.rw_schemas WHERE name = '{name.Replace('-', '_')}')"));
    }

    [Fact]
    public async Task Retention_change_alters_the_subscription_or_recreates_it_when_alter_is_unsupported()
    {
        var project = Leaderboard(UniqueName("ret"));
        await Ddl.SyncAsync(project);
        project.WithQuery("leaderboard", project.Spec.Queries[0].Sql, retention: "2h");

        var altered = await Ddl.SyncAsync(project);
        Assert.Contains(altered.Actions, a => a is { Type: "update", Resource: "subscription" } && a.Detail!.Contains("7200s", StringComparison.Ordinal));
        Assert.Contains(altered.Actions, a => a is { Type: "unchanged", Resource: "query" });

        await using var legacy = new DdlManager { SupportsAlterSubscriptionRetention = false };
        await legacy.ConnectAsync(Rw.ConnectionString);
        project.WithQuery("leaderboard", project.Spec.Queries[0].Sql, retention: "3h");
        Rw.Simulator?.Statements.Clear();
        await legacy.SyncAsync(project);
        if (Rw.Simulator is { } sim)
        {
            var ddl = sim.Statements.Snapshot().Select(s => s.Sql).Where(s => s.Contains("SUBSCRIPTION", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, ddl.Count);
            Assert.StartsWith("DROP SUBSCRIPTION", ddl[0], StringComparison.Ordinal);
            Assert.Contains("retention = '3h'", ddl[1], StringComparison.Ordinal);
        }

        Assert.All((await Ddl.SyncAsync(project)).Actions, a => Assert.Equal("unchanged", a.Type));
    }

    [Fact]
    public async Task View_chains_are_created_in_dependency_order_and_dropped_dependents_first()
    {
        var project = Create(UniqueName("chain"))
            .WithEvent("clicks", ("page", ColumnTypes.String))
            .WithQuery("popular", "SELECT page, total FROM per_page WHERE total > 10")
            .WithQuery("per_page", "SELECT page, count(*) AS total FROM clicks GROUP BY page");

        var created = await Ddl.SyncAsync(project);
        var creates = created.Actions.Where(a => a is { Type: "create", Resource: "query" }).Select(a => a.Name).ToList();
        Assert.Equal(["per_page", "popular"], creates);

        project.WithQuery("per_page", "SELECT page, count(*) AS total FROM clicks WHERE page <> '' GROUP BY page");
        var changed = await Ddl.SyncAsync(project);
        Assert.Contains(changed.Actions, a => a is { Type: "update", Name: "popular" } && a.Detail!.Contains("reads", StringComparison.Ordinal));

        var removed = await Ddl.SyncAsync(project.Without("popular").Without("per_page"));
        var deletes = removed.Actions.Where(a => a is { Type: "delete", Resource: "query" }).Select(a => a.Name).ToList();
        Assert.Equal(["popular", "per_page"], deletes);
    }

    [Fact]
    public async Task Added_columns_are_applied_removed_ones_are_blocked_unless_allowed()
    {
        var name = UniqueName("cols");
        var project = Create(name).WithEvent("orders", ("id", ColumnTypes.BigInt), ("amount", ColumnTypes.Float));
        await Ddl.SyncAsync(project);

        var added = await Ddl.SyncAsync(project.WithEvent("orders", ("id", ColumnTypes.BigInt), ("amount", ColumnTypes.Float), ("note", ColumnTypes.String)));
        Assert.Contains(added.Actions, a => a is { Type: "update", Resource: "event", Name: "orders" } && a.Detail == "added column note");

        project.WithEvent("orders", ("id", ColumnTypes.BigInt), ("note", ColumnTypes.String));
        var blocked = await Ddl.SyncAsync(project);
        var action = Assert.Single(blocked.Actions, a => a.Type == "blocked");
        Assert.Contains("drop column amount", action.Detail, StringComparison.Ordinal);
        Assert.Contains("allowDestructiveChanges", action.Detail, StringComparison.Ordinal);
        Assert.Equal(["id", "amount", "note"], await ColumnsAsync(name, "orders"));

        var applied = await Ddl.SyncAsync(project.AllowingDestructiveChanges());
        Assert.Contains(applied.Actions, a => a is { Type: "update", Name: "orders" });
        Assert.Equal(["id", "note"], await ColumnsAsync(name, "orders"));
    }

    [Fact]
    public async Task Removing_an_event_is_blocked_unless_allowed()
    {
        var name = UniqueName("evrm");
        var project = Create(name).WithEvent("a", ("x", ColumnTypes.Int)).WithEvent("b", ("y", ColumnTypes.Int));
        await Ddl.SyncAsync(project);

        var blocked = await Ddl.SyncAsync(project.Without("b"));
        Assert.Contains(blocked.Actions, a => a is { Type: "blocked", Resource: "event", Name: "b" });
        Assert.Equal(["y"], await ColumnsAsync(name, "b"));

        var dropped = await Ddl.SyncAsync(project.AllowingDestructiveChanges());
        Assert.Contains(new DdlAction("delete", "event", "b"), dropped.Actions);
        Assert.Empty(await ColumnsAsync(name, "b"));
    }

    [Fact]
    public async Task Objects_outside_the_schema_are_untouched_and_a_second_project_cannot_claim_the_schema()
    {
        await using (var other = await OpenAsync())
        {
            await ExecAsync(other, "CREATE TABLE IF NOT EXISTS public.not_ours (id int)");
            await ExecAsync(other, "CREATE MATERIALIZED VIEW IF NOT EXISTS public.not_ours_mv AS SELECT id FROM public.not_ours");
            await ExecAsync(other, "CREATE SUBSCRIPTION IF NOT EXISTS public.not_ours_sub FROM public.not_ours_mv WITH (retention = '1h')");
        }

        var name = UniqueName("owner");
        var first = Leaderboard(name);
        var neighbour = Leaderboard(UniqueName("neighbour"));
        await Ddl.SyncAsync(neighbour);
        Rw.Simulator?.Statements.Clear();
        await Ddl.SyncAsync(first);
        await Ddl.SyncAsync(first.Without("leaderboard").AllowingDestructiveChanges().Without("game_events"));

        if (Rw.Simulator is { } sim)
        {
            Assert.DoesNotContain(sim.Statements.Snapshot(), s => s.Sql.Contains("public", StringComparison.Ordinal) || s.Sql.Contains("neighbour", StringComparison.Ordinal));
        }

        Assert.True(await ExistsAsync("SELECT 1 FROM rw_catalog.rw_subscriptions WHERE name = 'not_ours_sub'"));
        Assert.Equal(["player", "score"], await ColumnsAsync(neighbour.Metadata.Name!, "game_events"));

        var claimant = Leaderboard("claimant");
        claimant.Spec.Risingwave.Schema = name.Replace('-', '_');
        var error = await Assert.ThrowsAsync<DdlException>(() => Ddl.SyncAsync(claimant));
        Assert.Equal(DdlFailureReason.SchemaOwnedElsewhere, error.Reason);
        Assert.Equal($"schema {name.Replace('-', '_')} is already managed by apps/{name}", error.Message);
    }

    [Fact]
    public async Task Invalid_sql_fails_with_the_databases_message_and_a_fixed_spec_then_syncs()
    {
        var project = Leaderboard(UniqueName("bad")).WithQuery("broken", "SELEC player FROM game_events");

        var error = await Assert.ThrowsAsync<DdlException>(() => Ddl.SyncAsync(project));
        Assert.Equal(DdlFailureReason.DdlFailed, error.Reason);
        Assert.Contains("syntax error", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("CREATE MATERIALIZED VIEW", error.Statement, StringComparison.Ordinal);

        project.WithQuery("broken", "SELECT player FROM game_events");
        var fixedUp = await Ddl.SyncAsync(project);
        Assert.Contains(new DdlAction("create", "query", "broken"), fixedUp.Actions);
        Assert.Contains(new DdlAction("unchanged", "query", "leaderboard"), fixedUp.Actions);
    }

    [Fact]
    public async Task A_filter_column_the_view_lacks_fails_naming_the_available_columns()
    {
        var project = Leaderboard(UniqueName("typo")).WithQuery("leaderboard", "SELECT player, sum(score)::bigint AS total FROM game_events GROUP BY player", filterBy: "tenant");

        var error = await Assert.ThrowsAsync<DdlException>(() => Ddl.SyncAsync(project));

        Assert.Equal(DdlFailureReason.FilterColumnMissing, error.Reason);
        Assert.Contains("(columns: player, total)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_reads_only_and_describes_what_sync_would_do()
    {
        var project = Leaderboard(UniqueName("plan"));
        Rw.Simulator?.Statements.Clear();

        var plan = await Ddl.PlanAsync(project);

        Assert.False(plan.InSync);
        Assert.Contains(new DdlAction("create", "query", "leaderboard"), plan.Actions);
        if (Rw.Simulator is { } sim)
        {
            Assert.DoesNotContain(sim.Statements.Snapshot(), s => Writes.IsMatch(s.Sql));
        }
    }

    [Fact]
    public async Task Drop_removes_everything_the_project_created_and_its_schema()
    {
        var name = UniqueName("drop");
        var project = Leaderboard(name);
        await Ddl.SyncAsync(project);

        await Ddl.DropAsync(project);

        Assert.False(await ExistsAsync($"SELECT 1 FROM rw_catalog.rw_schemas WHERE name = '{name.Replace('-', '_')}'"));
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var builder = new NpgsqlDataSourceBuilder(Rw.ConnectionString);
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        await using var source = builder.Build();
        return await source.OpenConnectionAsync();
    }

    private static async Task ExecAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<bool> ExistsAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is not null;
    }

    private async Task<List<string>> ColumnsAsync(string project, string table)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT c.name FROM rw_catalog.rw_columns c JOIN rw_catalog.rw_tables t ON t.id = c.relation_id JOIN rw_catalog.rw_schemas s ON s.id = t.schema_id " +
            "WHERE s.name = $1 AND t.name = $2 AND NOT c.is_hidden ORDER BY c.position", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = project.Replace('-', '_') });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
