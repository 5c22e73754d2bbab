using Npgsql;

namespace Wavelet.Ddl;

/// <summary>
/// Sends one statement in one extended-protocol Parse message. An <see cref="NpgsqlBatchCommand"/> without named
/// parameters is not parsed or split by Npgsql, so a second statement hidden in a query body reaches the server in
/// the same Parse, and the server refuses it ("cannot insert multiple commands into a prepared statement"). This is
/// the defence that does not depend on our own lexer.
/// </summary>
internal static class SingleStatementCommand
{
    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, IReadOnlyList<object?> parameters, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        batch.BatchCommands.Add(command);
        return await batch.ExecuteNonQueryAsync(ct);
    }
}
