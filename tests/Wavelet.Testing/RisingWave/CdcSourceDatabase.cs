using Npgsql;
using Wavelet.Engine.Postgres;

namespace Wavelet.Testing.RisingWave;

/// <summary>
/// xunit fixture: an application database for CDC sources, on a PostgreSQL server of its own started with
/// wal_level=logical, holding public.orders (id bigint primary key, status text, total numeric).
/// </summary>
public sealed class CdcSourceDatabase : IAsyncLifetime
{
    private PostgresServer? _server;

    public const string Database = "shop";

    /// <summary>The server trusts local connections, so any password works; tests still pass one to prove it is carried.</summary>
    public const string User = "postgres";

    public int Port => _server?.Port ?? throw new InvalidOperationException("not started");

    public string ConnectionString => _server!.ConnectionStringFor(Database) + ";Pooling=false";

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync(new Dictionary<string, string> { ["wal_level"] = "logical", ["max_replication_slots"] = "20", ["max_wal_senders"] = "20" });
        await _server.CreateDatabaseAsync(Database);
        await ExecuteAsync("CREATE TABLE public.orders (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'new', total numeric NOT NULL)");
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The names of the replication slots on the source server.</summary>
    public async Task<List<string>> SlotsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT slot_name::text FROM pg_replication_slots ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var slots = new List<string>();
        while (await reader.ReadAsync())
        {
            slots.Add(reader.GetString(0));
        }

        return slots;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
