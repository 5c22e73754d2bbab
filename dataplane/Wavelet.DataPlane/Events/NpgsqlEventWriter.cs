using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Wavelet.DataPlane.Events;

/// <summary>Parameterised multi-row INSERT on a pooled data source (type loading disabled, as RisingWave needs).</summary>
public sealed class NpgsqlEventWriter : IEventWriter, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public NpgsqlEventWriter(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        _dataSource = builder.Build();
    }

    public async Task InsertAsync(string schema, string table, IReadOnlyList<TypedColumn> columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder("INSERT INTO ").Append(Quote(schema)).Append('.').Append(Quote(table)).Append(" (")
            .AppendJoin(", ", columns.Select(c => Quote(c.Name))).Append(") VALUES ");
        for (var r = 0; r < rows.Count; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Count; c++)
            {
                var name = $"p{command.Parameters.Count}";
                sql.Append(c == 0 ? "@" : ", @").Append(name);
                command.Parameters.Add(new NpgsqlParameter(name, DbType(columns[c].Type)) { Value = rows[r][c] ?? DBNull.Value });
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(ct);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static NpgsqlDbType DbType(string type) => type switch
    {
        "string" => NpgsqlDbType.Varchar,
        "int" => NpgsqlDbType.Integer,
        "float" => NpgsqlDbType.Double,
        "boolean" => NpgsqlDbType.Boolean,
        "timestamp" => NpgsqlDbType.TimestampTz,
        "json" => NpgsqlDbType.Jsonb,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown event column type"),
    };

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
