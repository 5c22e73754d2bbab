using Microsoft.Extensions.Logging;
using Npgsql;

namespace Wavelet.Engine.Cdc;

/// <summary>
/// postgres-cdc sources with PostgreSQL's own logical replication: CREATE SOURCE makes a slot and a publication on the
/// source database and a subscription in the engine's; CREATE TABLE ... FROM source TABLE adds the table to both, and a
/// trigger on its landing table mirrors every replicated change into the table the statement named. DROP SOURCE drops
/// the subscription, which drops the slot on the source database. See docs/design/cdc-sources.md.
/// </summary>
internal sealed class CdcReplication(NpgsqlDataSource admin, ILogger logger)
{
    /// <summary>The SQL to forward instead of <paramref name="sql"/> (after doing its work), or null when it is no CDC statement.</summary>
    public async Task<string?> TryExecuteAsync(string sql, CancellationToken ct)
    {
        var text = sql.Trim().TrimEnd(';').Trim();
        try
        {
            System.Text.RegularExpressions.Match m;
            if ((m = CdcStatements.CreateSource().Match(text)).Success)
            {
                return await CreateSourceAsync(CdcStatements.Split(m.Groups["name"].Value), m.Groups["ine"].Success, m.Groups["options"].Value, ct);
            }

            if ((m = CdcStatements.CreateTableFromSource().Match(text)).Success)
            {
                return await CreateTableAsync(CdcStatements.Split(m.Groups["name"].Value), m.Groups["defs"].Value,
                    CdcStatements.Split(m.Groups["source"].Value), m.Groups["upstream"].Value.Replace("''", "'", StringComparison.Ordinal), ct);
            }

            if ((m = CdcStatements.DropTable().Match(text)).Success)
            {
                return await DropTableAsync(CdcStatements.Split(m.Groups["name"].Value), ct);
            }

            if ((m = CdcStatements.DropSource().Match(text)).Success)
            {
                return await DropSourceAsync(CdcStatements.Split(m.Groups["name"].Value), m.Groups["ie"].Success, ct);
            }

            return null;
        }
        catch (CdcException e)
        {
            return StatementRewriter.Raise(e.Message).Sql;
        }
        catch (PostgresException e)
        {
            return StatementRewriter.Raise($"Failed to run the CDC statement: {e.MessageText}").Sql;
        }
    }

    private const string Ok = "DO $rwsim$ BEGIN NULL; END $rwsim$";

    private async Task<string> CreateSourceAsync((string Schema, string Name) name, bool ifNotExists, string optionText, CancellationToken ct)
    {
        var options = CdcStatements.Options(optionText) ?? throw new CdcException("Invalid input syntax: expected WITH (key = 'value', ...)");
        if (!options.TryGetValue("connector", out var connector) || !connector.Equals("postgres-cdc", StringComparison.OrdinalIgnoreCase))
        {
            throw new CdcException($"Not supported: the local engine implements only connector = 'postgres-cdc' (got '{connector}')");
        }

        if (await SourceIdAsync(name, ct) is not null)
        {
            return ifNotExists ? Ok : throw new CdcException($"Catalog error: source \"{name.Name}\" already exists");
        }

        string Required(string key) => options.TryGetValue(key, out var value) && value.Length > 0
            ? value : throw new CdcException($"Invalid Parameter Value: {key} is required for a postgres-cdc source");
        var slot = Required("slot.name");
        var publication = options.TryGetValue("publication.name", out var p) && p.Length > 0 ? p : "rw_publication";
        var upstream = new NpgsqlConnectionStringBuilder
        {
            Host = Required("hostname"),
            Port = int.TryParse(Required("port"), out var port) ? port : throw new CdcException("Invalid Parameter Value: port must be a number"),
            Username = Required("username"),
            Password = options.GetValueOrDefault("password") ?? "",
            Database = Required("database.name"),
            SslMode = (options.GetValueOrDefault("ssl.mode") ?? "disabled").ToLowerInvariant() switch
            {
                "disabled" => SslMode.Disable,
                "preferred" => SslMode.Prefer,
                "required" => SslMode.Require,
                "verify-ca" => SslMode.VerifyCA,
                "verify-full" => SslMode.VerifyFull,
                var other => throw new CdcException($"Invalid Parameter Value: ssl.mode '{other}'"),
            },
            Pooling = false,
            Timeout = 10,
        };

        bool createdPublication;
        await using (var source = await OpenUpstreamAsync(upstream.ConnectionString, ct))
        {
            var walLevel = (string?)await ScalarAsync(source, "SHOW wal_level", [], ct);
            if (walLevel != "logical")
            {
                throw new CdcException($"Postgres wal_level should be 'logical' but is '{walLevel}' on {upstream.Host}:{upstream.Port}: set wal_level = logical and restart the source PostgreSQL server");
            }

            if (await ScalarAsync(source, "SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", [slot], ct) is not null)
            {
                throw new CdcException($"Replication slot \"{slot}\" already exists on the source database: another source uses it, or one was left behind (drop it with SELECT pg_drop_replication_slot('{slot}'))");
            }

            createdPublication = await ScalarAsync(source, "SELECT 1 FROM pg_publication WHERE pubname = $1", [publication], ct) is null;
            if (createdPublication)
            {
                await ExecuteAsync(source, $"CREATE PUBLICATION {CdcStatements.Quote(publication)}", [], ct);
            }

            await ExecuteAsync(source, "SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [slot], ct);
        }

        var subscription = slot;
        var conninfo = string.Join(' ',
            ConnInfo("host", upstream.Host!), ConnInfo("port", upstream.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ConnInfo("dbname", upstream.Database!), ConnInfo("user", upstream.Username!), ConnInfo("password", upstream.Password ?? ""),
            ConnInfo("sslmode", upstream.SslMode switch { SslMode.Prefer => "prefer", SslMode.Require => "require", SslMode.VerifyCA => "verify-ca", SslMode.VerifyFull => "verify-full", _ => "disable" }));
        try
        {
            await AdminAsync(
                $"CREATE SUBSCRIPTION {CdcStatements.Quote(subscription)} CONNECTION {SqlText.Literal(conninfo)} PUBLICATION {CdcStatements.Quote(publication)} " +
                $"WITH (create_slot = false, slot_name = {SqlText.Literal(slot)}, copy_data = true)", [], ct);
        }
        catch (PostgresException)
        {
            await DropSlotAsync(upstream.ConnectionString, slot, ct);
            throw;
        }

        var definition = $"CREATE SOURCE {CdcStatements.Quote(name)} WITH (connector = 'postgres-cdc', hostname = '{upstream.Host}', port = '{upstream.Port}', " +
                         $"username = '{upstream.Username}', database.name = '{upstream.Database}', slot.name = '{slot}', publication.name = '{publication}')";
        await AdminAsync(
            "INSERT INTO _rwsim.cdc_sources (schema_name, name, subscription, slot, publication, connection, created_publication, definition) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            [name.Schema, name.Name, subscription, slot, publication, upstream.ConnectionString, createdPublication, definition], ct);
        logger.SourceCreated(name.Schema, name.Name, slot);
        return Ok;
    }

    private async Task<string> CreateTableAsync((string Schema, string Name) name, string definitions, (string Schema, string Name) sourceName, string upstreamText, CancellationToken ct)
    {
        var source = await SourceAsync(sourceName, ct) ?? throw new CdcException($"Catalog error: source \"{sourceName.Name}\" not found");
        var dot = upstreamText.IndexOf('.', StringComparison.Ordinal);
        var upstream = dot < 0 ? ("public", upstreamText) : (upstreamText[..dot], upstreamText[(dot + 1)..]);
        bool publicationHasIt;
        var upstreamColumns = new List<string>();
        await using (var connection = await OpenUpstreamAsync(source.Connection, ct))
        {
            if (await ScalarAsync(connection, "SELECT to_regclass($1)::text", [CdcStatements.Quote(upstream)], ct) is null)
            {
                throw new CdcException($"Table '{upstreamText}' not found in the source database");
            }

            await using (var columns = new NpgsqlCommand("SELECT attname::text FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum", connection))
            {
                columns.Parameters.Add(new NpgsqlParameter { Value = CdcStatements.Quote(upstream) });
                await using var reader = await columns.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    upstreamColumns.Add(reader.GetString(0));
                }
            }

            publicationHasIt = await ScalarAsync(connection,
                "SELECT 1 FROM pg_publication p WHERE p.pubname = $1 AND (p.puballtables OR EXISTS (SELECT 1 FROM pg_publication_tables t WHERE t.pubname = p.pubname AND t.schemaname = $2 AND t.tablename = $3))",
                [source.Publication, upstream.Item1, upstream.Item2], ct) is not null;
            if (!publicationHasIt)
            {
                await ExecuteAsync(connection, $"ALTER PUBLICATION {CdcStatements.Quote(source.Publication)} ADD TABLE {CdcStatements.Quote(upstream)}", [], ct);
            }
        }

        var target = CdcStatements.Quote(name);
        var hasLanding = !(upstream.Item1 == name.Schema && upstream.Item2 == name.Name);
        await using (var connection = await admin.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await ExecuteAsync(connection, $"CREATE TABLE {target} ({definitions})", [], ct);
            // The write tracker's trigger must fire for the replication worker too (it runs as a replica, where ordinary
            // triggers stay silent), or barriers would not see the replicated changes.
            if (await ScalarAsync(connection, "SELECT 1 FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname = '_rwsim_changed'", [target], ct) is not null)
            {
                await ExecuteAsync(connection, $"ALTER TABLE {target} ENABLE ALWAYS TRIGGER _rwsim_changed", [], ct);
            }
            if (hasLanding)
            {
                var landing = CdcStatements.Quote(upstream);
                var keys = (List<string>)[];
                await using (var command = new NpgsqlCommand(
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary", connection))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = target });
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                    {
                        keys.Add(reader.GetString(0));
                    }
                }

                if (keys.Count == 0)
                {
                    throw new CdcException("Invalid input syntax: a table created from a CDC source needs a PRIMARY KEY");
                }

                var condition = string.Join(" AND ", keys.Select(k => $"t.{CdcStatements.Quote(k)} = o.{CdcStatements.Quote(k)}"));
                await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {CdcStatements.Quote(upstream.Item1)}", [], ct);
                await ExecuteAsync(connection, $"CREATE TABLE {landing} (LIKE {target} INCLUDING ALL)", [], ct);
                // Logical replication needs every published column on the subscriber; columns the table leaves out land as text.
                foreach (var column in upstreamColumns)
                {
                    await ExecuteAsync(connection, $"ALTER TABLE {landing} ADD COLUMN IF NOT EXISTS {CdcStatements.Quote(column)} text", [], ct);
                }
                await ExecuteAsync(connection,
                    $"CREATE TRIGGER _rwcdc_mirror AFTER INSERT OR UPDATE OR DELETE ON {landing} FOR EACH ROW EXECUTE FUNCTION _rwsim.cdc_mirror({SqlText.Literal(target)}, {SqlText.Literal(condition)})", [], ct);
                await ExecuteAsync(connection, $"ALTER TABLE {landing} ENABLE ALWAYS TRIGGER _rwcdc_mirror", [], ct);
            }

            await ExecuteAsync(connection,
                "INSERT INTO _rwsim.cdc_tables (schema_name, name, source_id, upstream_schema, upstream_table, has_landing, added_to_publication) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                [name.Schema, name.Name, source.Id, upstream.Item1, upstream.Item2, hasLanding, !publicationHasIt], ct);
            await transaction.CommitAsync(ct);
        }

        // Outside any transaction (PostgreSQL's rule): starts the initial copy of the new table and then its stream.
        await AdminAsync($"ALTER SUBSCRIPTION {CdcStatements.Quote(source.Subscription)} REFRESH PUBLICATION WITH (copy_data = true)", [], ct);
        return Ok;
    }

    private async Task<string?> DropTableAsync((string Schema, string Name) name, CancellationToken ct)
    {
        await using var find = admin.CreateCommand(
            "SELECT t.upstream_schema, t.upstream_table, t.has_landing, t.added_to_publication, s.connection, s.publication, s.subscription " +
            "FROM _rwsim.cdc_tables t JOIN _rwsim.cdc_sources s ON s.id = t.source_id WHERE t.schema_name = $1 AND t.name = $2");
        find.Parameters.Add(new NpgsqlParameter { Value = name.Schema });
        find.Parameters.Add(new NpgsqlParameter { Value = name.Name });
        (string Schema, string Name) upstream;
        bool hasLanding, added;
        string connection, publication, subscription;
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return null; // not a CDC table: the ordinary DROP TABLE path
            }

            upstream = (reader.GetString(0), reader.GetString(1));
            (hasLanding, added) = (reader.GetBoolean(2), reader.GetBoolean(3));
            (connection, publication, subscription) = (reader.GetString(4), reader.GetString(5), reader.GetString(6));
        }

        if (added)
        {
            try
            {
                await using var source = await OpenUpstreamAsync(connection, ct);
                await ExecuteAsync(source, $"ALTER PUBLICATION {CdcStatements.Quote(publication)} DROP TABLE {CdcStatements.Quote(upstream)}", [], ct);
            }
            catch (Exception e) when (e is CdcException or NpgsqlException)
            {
                logger.UpstreamCleanupFailed(e, publication, e.Message);
            }
        }

        await AdminAsync($"DROP TABLE {CdcStatements.Quote(name)}", [], ct);
        if (hasLanding)
        {
            await AdminAsync($"DROP TABLE IF EXISTS {CdcStatements.Quote(upstream)}", [], ct);
        }

        await AdminAsync("DELETE FROM _rwsim.cdc_tables WHERE schema_name = $1 AND name = $2", [name.Schema, name.Name], ct);
        await AdminAsync($"ALTER SUBSCRIPTION {CdcStatements.Quote(subscription)} REFRESH PUBLICATION WITH (copy_data = false)", [], ct);
        return Ok;
    }

    private async Task<string> DropSourceAsync((string Schema, string Name) name, bool ifExists, CancellationToken ct)
    {
        var source = await SourceAsync(name, ct);
        if (source is null)
        {
            return ifExists ? Ok : throw new CdcException($"Catalog error: source \"{name.Name}\" not found");
        }

        if (await ScalarAsync(null, "SELECT string_agg(name, ', ') FROM _rwsim.cdc_tables WHERE source_id = $1", [source.Id], ct) is string tables)
        {
            throw new CdcException($"Permission denied: source \"{name.Name}\" is used by table(s) {tables}; drop them first");
        }

        // Dropping the subscription drops its slot on the source database: no slot is left behind.
        await AdminAsync($"DROP SUBSCRIPTION {CdcStatements.Quote(source.Subscription)}", [], ct);
        if (source.CreatedPublication)
        {
            try
            {
                await using var upstream = await OpenUpstreamAsync(source.Connection, ct);
                await ExecuteAsync(upstream, $"DROP PUBLICATION IF EXISTS {CdcStatements.Quote(source.Publication)}", [], ct);
            }
            catch (Exception e) when (e is CdcException or NpgsqlException)
            {
                logger.UpstreamCleanupFailed(e, source.Publication, e.Message);
            }
        }

        await AdminAsync("DELETE FROM _rwsim.cdc_sources WHERE id = $1", [source.Id], ct);
        logger.SourceDropped(name.Schema, name.Name, source.Slot);
        return Ok;
    }

    private sealed record Source(int Id, string Subscription, string Slot, string Publication, string Connection, bool CreatedPublication);

    private async Task<int?> SourceIdAsync((string Schema, string Name) name, CancellationToken ct) => (await SourceAsync(name, ct))?.Id;

    private async Task<Source?> SourceAsync((string Schema, string Name) name, CancellationToken ct)
    {
        await using var command = admin.CreateCommand(
            "SELECT id, subscription, slot, publication, connection, created_publication FROM _rwsim.cdc_sources WHERE schema_name = $1 AND name = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = name.Schema });
        command.Parameters.Add(new NpgsqlParameter { Value = name.Name });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new Source(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetBoolean(5))
            : null;
    }

    private static async Task<NpgsqlConnection> OpenUpstreamAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync();
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            throw new CdcException($"Failed to connect to the source PostgreSQL at {builder.Host}:{builder.Port} (database {builder.Database}, user {builder.Username}): {(e as PostgresException)?.MessageText ?? e.Message}");
        }
    }

    private async Task DropSlotAsync(string connectionString, string slot, CancellationToken ct)
    {
        try
        {
            await using var source = await OpenUpstreamAsync(connectionString, ct);
            await ExecuteAsync(source, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", [slot], ct);
        }
        catch (Exception e) when (e is CdcException or NpgsqlException)
        {
            logger.UpstreamCleanupFailed(e, slot, e.Message);
        }
    }

    private async Task AdminAsync(string sql, object[] parameters, CancellationToken ct)
    {
        await using var connection = await admin.OpenConnectionAsync(ct);
        await ExecuteAsync(connection, sql, parameters, ct);
    }

    private async Task<object?> ScalarAsync(NpgsqlConnection? connection, string sql, object[] parameters, CancellationToken ct)
    {
        await using var owned = connection is null ? await admin.OpenConnectionAsync(ct) : null;
        await using var command = new NpgsqlCommand(sql, connection ?? owned);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var result = await command.ExecuteScalarAsync(ct);
        return result is DBNull ? null : result;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, object[] parameters, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A libpq keyword/value pair, the value quoted with backslash escapes (libpq's conninfo rule).</summary>
    private static string ConnInfo(string key, string value) =>
        $"{key}='{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'";

    private sealed class CdcException(string message) : Exception(message);
}
