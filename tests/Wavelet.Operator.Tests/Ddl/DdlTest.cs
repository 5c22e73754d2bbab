namespace Wavelet.Operator.Tests.Ddl;

/// <summary>
/// Base of the DdlManager suites against the RisingWave simulator (or a real RisingWave when WAVELET_TEST_RISINGWAVE_URL
/// is set): a connected <see cref="DdlManager"/>, and a data source on the same database to look behind its back.
/// </summary>
public abstract class DdlTest(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    protected DdlManager Ddl { get; } = new();

    protected NpgsqlDataSource Database { get; private set; } = null!;

    protected RisingWaveFixture Rw => rw;

    public virtual async Task InitializeAsync()
    {
        await Ddl.ConnectAsync(rw.ConnectionString);
        Database = rw.CreateDataSource();
    }

    public virtual async Task DisposeAsync()
    {
        await Ddl.CloseAsync();
        await Database.DisposeAsync();
    }

    protected async Task ExecuteAsync(string sql)
    {
        await using var command = Database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    protected async Task<object?> ScalarAsync(string sql)
    {
        await using var command = Database.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    protected async Task<bool> TableExistsAsync(string schema, string table)
    {
        await using var command = Database.CreateCommand(
            "SELECT 1 FROM rw_catalog.rw_tables t JOIN rw_catalog.rw_schemas s ON s.id = t.schema_id WHERE s.name = $1 AND t.name = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        return await command.ExecuteScalarAsync() is not null;
    }
}
