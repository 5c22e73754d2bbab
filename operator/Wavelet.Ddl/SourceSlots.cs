using System.Net.Sockets;
using Npgsql;

namespace Wavelet.Ddl;

/// <summary>
/// Makes sure a deleted project leaves no replication slot on its source databases: after the sources are dropped,
/// any slot of theirs still present (a RisingWave release that keeps it, or a drop that failed half-way) is dropped
/// here, on the source database itself. Only the slot named for the project's source is touched.
/// </summary>
internal static class SourceSlots
{
    public static async Task DropLeftoverAsync(DesiredSource source, CancellationToken ct)
    {
        if (source.Password is null)
        {
            return; // no credentials: nothing can be checked (the deletion reports the missing Secret itself)
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = source.Host,
            Port = source.Port,
            Database = source.Database,
            Username = source.User,
            Password = source.Password,
            SslMode = source.SslMode switch
            {
                "preferred" => SslMode.Prefer,
                "required" => SslMode.Require,
                "verify-ca" => SslMode.VerifyCA,
                "verify-full" => SslMode.VerifyFull,
                _ => SslMode.Disable,
            },
            Pooling = false,
            Timeout = 10,
        };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(ct);
            // A slot still held by a walsender that outlived its source is released first; then it can be dropped.
            await using (var release = new NpgsqlCommand(
                "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL", connection))
            {
                release.Parameters.Add(new NpgsqlParameter { Value = source.Slot });
                await release.ExecuteNonQueryAsync(ct);
            }

            await using var drop = new NpgsqlCommand(
                "SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active", connection);
            drop.Parameters.Add(new NpgsqlParameter { Value = source.Slot });
            await drop.ExecuteScalarAsync(ct);
        }
        catch (PostgresException e)
        {
            throw new DdlException(DdlFailureReason.SourceUnreachable,
                $"source {source.Name}: could not drop replication slot {source.Slot} on {source.Host}:{source.Port}: {e.MessageText}",
                $"the slot keeps WAL on the source database; drop it there with SELECT pg_drop_replication_slot('{source.Slot}'), or let the deletion retry",
                sqlState: e.SqlState, inner: e);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            throw new DdlException(DdlFailureReason.SourceUnreachable,
                $"source {source.Name}: cannot connect to {source.Host}:{source.Port} to check that replication slot {source.Slot} is gone: {e.Message}",
                $"make the source database reachable so the deletion can finish, or drop the slot there yourself with SELECT pg_drop_replication_slot('{source.Slot}')",
                inner: e);
        }
    }
}
