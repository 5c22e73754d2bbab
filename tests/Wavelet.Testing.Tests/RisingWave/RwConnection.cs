namespace Wavelet.Testing.Tests.RisingWave;

/// <summary>A client session as the product opens one: Npgsql with type loading disabled, one dedicated connection.</summary>
internal sealed class RwConnection : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    private RwConnection(NpgsqlDataSource source, NpgsqlConnection connection)
    {
        _source = source;
        Connection = connection;
    }

    public NpgsqlConnection Connection { get; }

    public static async Task<RwConnection> OpenAsync(RisingWaveFixture fixture, string? schema = null)
    {
        var source = fixture.CreateDataSource();
        var connection = await source.OpenConnectionAsync();
        var session = new RwConnection(source, connection);
        if (schema is not null)
        {
            await session.ExecAsync($"CREATE SCHEMA IF NOT EXISTS {schema}");
            await session.ExecAsync($"SET search_path TO {schema}");
        }

        return session;
    }

    public async Task ExecAsync(string sql)
    {
        await using var command = new NpgsqlCommand(sql, Connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using var command = new NpgsqlCommand(sql, Connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task<List<string>> ColumnNamesAsync(string sql)
    {
        await using var command = new NpgsqlCommand(sql, Connection);
        await using var reader = await command.ExecuteReaderAsync();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _source.DisposeAsync();
    }
}
