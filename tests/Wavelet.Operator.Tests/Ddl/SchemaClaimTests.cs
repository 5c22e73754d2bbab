using Wavelet.Api.Validation;

namespace Wavelet.Operator.Tests.Ddl;

/// <summary>A project never takes over a schema it did not create, and never drops what was there before it.</summary>
public sealed class SchemaClaimTests(RisingWaveFixture rw) : DdlTest(rw)
{
    [Fact]
    public async Task A_non_empty_schema_wavelet_did_not_create_is_refused_and_nothing_is_changed()
    {
        var schema = await LegacySchemaAsync();
        var project = Orders(schema);

        var error = await Assert.ThrowsAsync<DdlException>(() => Ddl.SyncAsync(project));

        Assert.Equal(DdlFailureReason.SchemaNotEmpty, error.Reason);
        Assert.Contains("table orders", error.Message, StringComparison.Ordinal);
        Assert.Contains("adoptExistingSchema", error.Hint, StringComparison.Ordinal);
        Assert.False(await TableExistsAsync(schema, OwnedKinds.MetadataTable));
        Assert.Equal(2L, await ScalarAsync($"SELECT count(*) FROM {schema}.orders"));
    }

    [Fact]
    public async Task An_adopted_schema_is_used_but_its_tables_are_never_recorded_so_delete_keeps_them()
    {
        var schema = await LegacySchemaAsync();
        var project = Orders(schema);
        project.Spec.Risingwave.AdoptExistingSchema = true;
        project.Spec.DeletionPolicy = "Delete";

        var sync = await Ddl.SyncAsync(project);
        Assert.Contains(sync.Actions, a => a is { Resource: "event", Name: "orders", Type: "unchanged" });
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM {schema}.{OwnedKinds.MetadataTable} WHERE kind = 'event'"));

        await Ddl.DropAsync(project);

        Assert.Equal(2L, await ScalarAsync($"SELECT count(*) FROM {schema}.orders"));
        Assert.True(await ScalarAsync($"SELECT count(*) FROM rw_catalog.rw_schemas WHERE name = '{schema}'") is 1L);
    }

    [Fact]
    public async Task An_empty_existing_schema_is_claimed_but_not_dropped_with_the_project()
    {
        var schema = "pre_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync($"CREATE SCHEMA {schema}");
        var project = Orders(schema);
        project.Spec.DeletionPolicy = "Delete";

        await Ddl.SyncAsync(project);
        await Ddl.DropAsync(project);

        Assert.False(await TableExistsAsync(schema, "orders"));
        Assert.True(await ScalarAsync($"SELECT count(*) FROM rw_catalog.rw_schemas WHERE name = '{schema}'") is 1L);
    }

    [Fact]
    public async Task A_view_wavelet_did_not_create_is_replaced_only_with_the_destructive_flag()
    {
        var schema = await LegacySchemaAsync();
        await ExecuteAsync($"CREATE MATERIALIZED VIEW {schema}.totals AS SELECT id FROM {schema}.orders");
        var project = Orders(schema).WithQuery("totals", "SELECT count(*) AS n FROM orders");
        project.Spec.Risingwave.AdoptExistingSchema = true;

        var blocked = await Ddl.SyncAsync(project);

        var action = Assert.Single(blocked.Actions, a => a.Type == "blocked");
        Assert.Equal(("query", "totals"), (action.Resource, action.Name));
        Assert.Contains("allowDestructiveChanges", action.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(blocked.Queries, q => q.Name == "totals");
        Assert.Equal(2L, await ScalarAsync($"SELECT count(*) FROM {schema}.totals"));

        var replaced = await Ddl.SyncAsync(project.AllowingDestructiveChanges());

        Assert.Contains(replaced.Actions, a => a is { Resource: "query", Name: "totals", Type: "update" });
        Assert.Equal(["n"], replaced.Queries.Single().Columns.Select(c => c.Name));
    }

    [Theory]
    [InlineData("public")]
    [InlineData("pg_catalog")]
    [InlineData("information_schema")]
    [InlineData("rw_catalog")]
    [InlineData("pg_toast")]
    public async Task Public_and_system_schemas_are_refused_before_any_statement(string schema)
    {
        var project = Orders(schema);

        await Assert.ThrowsAsync<WaveletValidationException>(() => Ddl.SyncAsync(project));
    }

    [Fact]
    public async Task Two_projects_claiming_one_schema_at_once_one_wins_and_the_other_gets_a_clear_error()
    {
        for (var round = 0; round < 5; round++)
        {
            var schema = "race_" + Guid.NewGuid().ToString("N")[..8];
            var first = Orders(schema, "first");
            var second = Orders(schema, "second");
            await using var a = new DdlManager();
            await using var b = new DdlManager();
            await Task.WhenAll(a.ConnectAsync(Rw.ConnectionString), b.ConnectAsync(Rw.ConnectionString));

            var results = await Task.WhenAll(Outcome(a, first), Outcome(b, second));

            var failure = Assert.Single(results, r => r is not null);
            Assert.True(failure!.Reason is DdlFailureReason.SchemaClaimConflict or DdlFailureReason.SchemaOwnedElsewhere, failure.Describe());
            Assert.Contains(schema, failure.Message, StringComparison.Ordinal);
            var loser = results[0] is null ? (b, second) : (a, first);
            var winner = results[0] is null ? first : second;
            var again = await Assert.ThrowsAsync<DdlException>(() => loser.Item1.SyncAsync(loser.Item2));
            Assert.Equal(DdlFailureReason.SchemaOwnedElsewhere, again.Reason);
            Assert.Contains(winner.Metadata.Name!, again.Message, StringComparison.Ordinal);
            Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM {schema}.{OwnedKinds.MetadataTable} WHERE kind = 'project'"));
        }

        static async Task<DdlException?> Outcome(DdlManager ddl, WaveletProject project)
        {
            try
            {
                await ddl.SyncAsync(project);
                return null;
            }
            catch (DdlException e)
            {
                return e;
            }
        }
    }

    private static WaveletProject Orders(string schema, string? name = null)
    {
        var project = Create(name ?? UniqueName("claim")).WithEvent("orders", ("id", ColumnTypes.BigInt), ("amount", ColumnTypes.Float));
        project.Spec.Risingwave.Schema = schema;
        return project;
    }

    /// <summary>legacy_xxx.orders with 2 rows, made by someone else.</summary>
    private async Task<string> LegacySchemaAsync()
    {
        var schema = "legacy_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync($"CREATE SCHEMA {schema}");
        await ExecuteAsync($"CREATE TABLE {schema}.orders (id BIGINT, amount DOUBLE PRECISION)");
        await ExecuteAsync($"INSERT INTO {schema}.orders VALUES (1, 9.5), (2, 3)");
        await ExecuteAsync("FLUSH");
        return schema;
    }
}
