namespace Wavelet.Api.Validation;

public static partial class WaveletProjectValidator
{
    private static void ValidateSources(WaveletProject project, ProblemList problems)
    {
        var sources = project.Spec.Sources;
        if (sources.Count > WaveletLimits.MaxSources)
        {
            problems.Add("spec.sources", $"has {sources.Count} sources", $"use at most {WaveletLimits.MaxSources}");
        }

        var slots = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            var path = $"spec.sources[{i}]";
            var source = sources[i];
            problems.Identifier(path + ".name", source.Name, "source name");
            if (string.IsNullOrEmpty(source.Type))
            {
                problems.Add(path + ".type", "is required", "use postgres");
            }
            else
            {
                problems.OneOf(path + ".type", source.Type, SourceTypes.All, "source type");
            }

            ValidateConnection(path + ".connection", source.Connection, problems);
            if (source.SlotName is not null && !SourceNames.IsValidSlot(source.SlotName))
            {
                problems.Add(path + ".slotName", $"\"{source.SlotName}\" is not a valid replication slot name", "use 1 to 63 lowercase letters, digits and underscores (PostgreSQL's rule for slot names)");
            }
            else if (!string.IsNullOrEmpty(source.Name))
            {
                var slot = WaveletProjectDefaults.EffectiveSlotName(project, source);
                if (slots.TryGetValue(slot, out var first))
                {
                    problems.Add(path + ".slotName", $"replication slot \"{slot}\" is already used by {first}", "give each source its own slotName: a slot feeds exactly one source");
                }
                else
                {
                    slots[slot] = path;
                }
            }

            if (source.PublicationName is not null && !SourceNames.IsValidSlot(source.PublicationName))
            {
                problems.Add(path + ".publicationName", $"\"{source.PublicationName}\" is not a valid publication name", "use 1 to 63 lowercase letters, digits and underscores");
            }

            ValidateSourceTables(path + ".tables", source.Tables, problems);
        }
    }

    private static void ValidateConnection(string path, SourceConnectionSpec? connection, ProblemList problems)
    {
        if (connection is null)
        {
            problems.Add(path, "is required", "set host, database, user and passwordSecretRef of the source database");
            return;
        }

        if (string.IsNullOrEmpty(connection.Host))
        {
            problems.Add(path + ".host", "is required", "set the host name of the source PostgreSQL server");
        }
        else if (!SourceNames.IsValidHost(connection.Host) || connection.Host.Length > WaveletLimits.MaxHostLength)
        {
            problems.Add(path + ".host", $"\"{connection.Host}\" is not a valid host", "use a host name or IP address without spaces, quotes or a scheme");
        }

        problems.Range(path + ".port", connection.Port, 1, 65535);
        PlainName(path + ".database", connection.Database, "database name", problems);
        PlainName(path + ".user", connection.User, "user name", problems);
        ValidateSecretRef(path + ".passwordSecretRef", connection.PasswordSecretRef, "the source database password", problems);
        problems.OneOf(path + ".sslMode", connection.SslMode, SslModes.All, "SSL mode");
    }

    private static void PlainName(string path, string? value, string what, ProblemList problems)
    {
        if (string.IsNullOrEmpty(value))
        {
            problems.Add(path, "is required", $"set the {what}");
        }
        else if (!SourceNames.IsPlainName(value) || value.Length > WaveletNames.MaxIdentifierLength)
        {
            problems.Add(path, $"\"{value}\" is not a valid {what}", "use letters, digits, '_', '.', '$' or '-' (at most 63 characters)");
        }
    }

    private static void ValidateSourceTables(string path, List<SourceTableSpec> tables, ProblemList problems)
    {
        if (tables.Count == 0)
        {
            problems.Add(path, "a source needs at least one table", "list the tables to replicate, e.g. {table: public.orders, columns: [...], primaryKey: [id]}");
        }
        else if (tables.Count > WaveletLimits.MaxSourceTables)
        {
            problems.Add(path, $"has {tables.Count} tables", $"use at most {WaveletLimits.MaxSourceTables}");
        }

        var upstream = new HashSet<string>(StringComparer.Ordinal);
        for (var t = 0; t < tables.Count; t++)
        {
            var tablePath = $"{path}[{t}]";
            var table = tables[t];
            if (!SourceNames.IsValidUpstreamTable(table.Table))
            {
                problems.Add(tablePath + ".table", $"\"{table.Table}\" is not a valid schema.table", "name the source table with its schema, e.g. public.orders, in lowercase letters, digits and underscores");
            }
            else if (!upstream.Add(table.Table))
            {
                problems.Add(tablePath + ".table", $"table \"{table.Table}\" is listed twice", "list each source table once");
            }

            if (table.Name is not null)
            {
                problems.Identifier(tablePath + ".name", table.Name, "table name");
            }

            var columns = new HashSet<string>(StringComparer.Ordinal);
            if (table.Columns.Count == 0)
            {
                problems.Add(tablePath + ".columns", "a replicated table needs at least one column", "list the source table's columns with their types");
            }

            for (var c = 0; c < table.Columns.Count; c++)
            {
                var column = table.Columns[c];
                var columnPath = $"{tablePath}.columns[{c}]";
                if (problems.Identifier(columnPath + ".name", column.Name, "column name") && !columns.Add(column.Name))
                {
                    problems.Add(columnPath + ".name", $"column \"{column.Name}\" is listed twice", "list each column once");
                }

                if (string.IsNullOrEmpty(column.Type))
                {
                    problems.Add(columnPath + ".type", "a column type is required", "use one of " + string.Join(", ", ColumnTypes.All));
                }
                else
                {
                    problems.OneOf(columnPath + ".type", column.Type, ColumnTypes.All, "column type");
                }
            }

            if (table.PrimaryKey.Count == 0)
            {
                problems.Add(tablePath + ".primaryKey", "is required", "list the source table's primary key columns: RisingWave applies updates and deletes by key");
            }

            var keys = new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < table.PrimaryKey.Count; k++)
            {
                var key = table.PrimaryKey[k];
                if (!columns.Contains(key))
                {
                    problems.Add($"{tablePath}.primaryKey[{k}]", $"\"{key}\" is not one of the table's columns", "list the key column under columns too");
                }
                else if (!keys.Add(key))
                {
                    problems.Add($"{tablePath}.primaryKey[{k}]", $"\"{key}\" is listed twice", "list each key column once");
                }
            }
        }
    }
}
