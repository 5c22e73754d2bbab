namespace Wavelet.Operator.Tests.Ddl;

/// <summary>CDC sources synced into the local engine, replicating for real from a second PostgreSQL with wal_level=logical.</summary>
public sealed class CdcSourceSyncTests(RisingWaveFixture rw, CdcSourceDatabase source)
    : DdlTest(rw), IClassFixture<CdcSourceDatabase>
{

    private WaveletProject Shop(string name) => Create(name)
        .WithSource("shop_db", "127.0.0.1", source.Port, CdcSourceDatabase.Database, ("public.orders", "orders"))
        .WithQuery("revenue", "SELECT count(*)::bigint AS orders, coalesce(sum(total), 0)::numeric AS revenue FROM orders");

    private static SourceCredentials Credentials => new(new Dictionary<string, string> { ["shop_db"] = "it's a secret" });

    private async Task<string?> ReadAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Rw.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    [Fact]
    public async Task Source_rows_and_their_changes_replicate_into_the_view_and_dropping_the_project_leaves_no_slot()
    {
        if (!Rw.IsSimulator)
        {
            return; // a real RisingWave would need to reach the test's loopback database
        }

        var project = Shop(UniqueName("cdc"));
        var user = project.Spec.Sources[0].Connection;
        user.User = CdcSourceDatabase.User;
        var schema = WaveletProjectDefaults.EffectiveSchema(project);
        var slot = WaveletProjectDefaults.EffectiveSlotName(project, project.Spec.Sources[0]);
        await source.ExecuteAsync("INSERT INTO public.orders (id, total) VALUES (1, 10), (2, 5) ON CONFLICT DO NOTHING");

        var sync = await Ddl.SyncAsync(project, Credentials);

        Assert.Contains(new DdlAction("create", "source", "shop_db"), sync.Actions);
        Assert.Contains(new DdlAction("create", "table", "orders"), sync.Actions);
        Assert.Contains(slot, await source.SlotsAsync());
        Assert.DoesNotContain(Rw.Simulator!.Statements.Snapshot(), s => s.Sql.Contains("it's a secret", StringComparison.Ordinal) && !s.Sql.StartsWith("CREATE SOURCE", StringComparison.Ordinal));

        await Eventually.UntilAsync(async () => await ReadAsync($"SELECT orders || '/' || revenue FROM \"{schema}\".revenue") == "2/15", "the initial copy reaches the view");
        await source.ExecuteAsync("INSERT INTO public.orders (id, total) VALUES (3, 100)");
        await source.ExecuteAsync("UPDATE public.orders SET total = 20 WHERE id = 1");
        await source.ExecuteAsync("DELETE FROM public.orders WHERE id = 2");
        await Eventually.UntilAsync(async () => await ReadAsync($"SELECT orders || '/' || revenue FROM \"{schema}\".revenue") == "2/120", "insert, update and delete reach the view");

        var again = await Ddl.SyncAsync(project, Credentials);
        Assert.All(again.Actions, a => Assert.Equal("unchanged", a.Type));

        var dropped = await Ddl.DropAsync(project);

        Assert.Contains(new DdlAction("delete", "source", "shop_db", "its replication slot is dropped with it"), dropped);
        Assert.DoesNotContain(slot, await source.SlotsAsync());
        Assert.Null(await ReadAsync($"SELECT 1 FROM rw_catalog.rw_schemas WHERE name = '{schema}'"));
    }

    [Fact]
    public async Task A_source_database_without_wal_level_logical_fails_with_its_own_reason_and_the_fix()
    {
        if (!Rw.IsSimulator)
        {
            return;
        }

        // The engine's own PostgreSQL runs with the default wal_level (replica).
        var replicaOnly = await Wavelet.Engine.Postgres.PostgresServer.GetSharedAsync();
        var project = Create(UniqueName("nolog")).WithSource("shop_db", "127.0.0.1", replicaOnly.Port, "postgres", ("public.orders", "orders"));
        project.Spec.Sources[0].Connection.User = CdcSourceDatabase.User;

        var error = await Assert.ThrowsAsync<DdlException>(() => Ddl.SyncAsync(project, Credentials));

        Assert.Equal(DdlFailureReason.SourceNotLogical, error.Reason);
        Assert.Contains("wal_level", error.Message, StringComparison.Ordinal);
        Assert.Contains("docs/troubleshooting.md", error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("it's a secret", error.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_source_database_fails_with_its_own_reason()
    {
        if (!Rw.IsSimulator)
        {
            return;
        }

        var closedPort = FreePort.Pick();
        var project = Create(UniqueName("unreach")).WithSource("shop_db", "127.0.0.1", closedPort, "shop", ("public.orders", "orders"));

        var error = await Assert.ThrowsAsync<DdlException>(() => Ddl.SyncAsync(project, Credentials));

        Assert.Equal(DdlFailureReason.SourceUnreachable, error.Reason);
        Assert.Contains($"127.0.0.1:{closedPort}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("it's a secret", error.Describe(), StringComparison.Ordinal);
        Assert.Contains("password = '******'", error.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_with_credentials_drops_a_slot_the_source_left_behind()
    {
        var project = Shop(UniqueName("left"));
        project.Spec.Sources[0].Connection.User = CdcSourceDatabase.User;
        var slot = WaveletProjectDefaults.EffectiveSlotName(project, project.Spec.Sources[0]);
        await source.ExecuteAsync("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", slot);
        Assert.Contains(slot, await source.SlotsAsync());

        await Ddl.DropAsync(project, Credentials);

        Assert.DoesNotContain(slot, await source.SlotsAsync());
    }
}
