namespace Wavelet.Operator.Tests.Ddl;

/// <summary>A query reads only its project's schema, unless spec.risingwave.readSchemas lists another; checked from rw_depend.</summary>
public sealed class ReadSchemaTests(RisingWaveFixture rw) : DdlTest(rw)
{
    [Fact]
    public async Task A_query_reading_another_schema_is_refused_and_its_view_dropped_before_it_is_served()
    {
        var billing = await BillingAsync();
        var name = UniqueName("steal");
        var project = Create(name).WithEvent("e", ("x", ColumnTypes.Int)).WithQuery("cards", $"SELECT pan FROM {billing}.cards");

        var error = await Assert.ThrowsAsync<DdlException>(() => Ddl.SyncAsync(project));

        Assert.Equal(DdlFailureReason.ReadOutsideSchema, error.Reason);
        Assert.True(error.NeedsSpecChange);
        Assert.Contains($"query cards reads {billing}.cards", error.Message, StringComparison.Ordinal);
        Assert.Contains("readSchemas", error.Hint, StringComparison.Ordinal);
        var schema = name.Replace('-', '_');
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM rw_catalog.rw_materialized_views m JOIN rw_catalog.rw_schemas s ON s.id = m.schema_id WHERE s.name = '{schema}'"));
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM rw_catalog.rw_subscriptions b JOIN rw_catalog.rw_schemas s ON s.id = b.schema_id WHERE s.name = '{schema}'"));
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM {schema}.{OwnedKinds.MetadataTable} WHERE kind = 'query'"));
    }

    [Fact]
    public async Task A_schema_listed_in_readSchemas_may_be_read()
    {
        var billing = await BillingAsync();
        var project = Create(UniqueName("shared")).WithEvent("e", ("x", ColumnTypes.Int)).WithQuery("cards", $"SELECT pan FROM {billing}.cards");
        project.Spec.Risingwave.ReadSchemas = [billing];

        var result = await Ddl.SyncAsync(project);

        Assert.Equal(["pan"], result.Queries.Single().Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task Removing_a_schema_from_readSchemas_drops_the_query_that_read_it()
    {
        var billing = await BillingAsync();
        var project = Create(UniqueName("revoke")).WithEvent("e", ("x", ColumnTypes.Int)).WithQuery("cards", $"SELECT pan FROM {billing}.cards");
        project.Spec.Risingwave.ReadSchemas = [billing];
        await Ddl.SyncAsync(project);

        project.Spec.Risingwave.ReadSchemas = [];
        var error = await Assert.ThrowsAsync<DdlException>(() => Ddl.SyncAsync(project));

        Assert.Equal(DdlFailureReason.ReadOutsideSchema, error.Reason);
        Assert.Empty((await Ddl.DescribeAsync(project)).Current);
    }

    private async Task<string> BillingAsync()
    {
        var schema = "billing_" + Guid.NewGuid().ToString("N")[..8];
        await using (var create = Database.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var table = Database.CreateCommand($"CREATE TABLE {schema}.cards (pan VARCHAR, holder VARCHAR)");
        await table.ExecuteNonQueryAsync();
        return schema;
    }
}
