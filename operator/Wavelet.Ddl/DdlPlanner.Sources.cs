using Wavelet.Api;

namespace Wavelet.Ddl;

public static partial class DdlPlanner
{
    /// <summary>What happens to the CDC sources and their tables: decided before the views, whose drops it can add to.</summary>
    private sealed class SourceChanges
    {
        public List<DdlAction> Actions { get; } = [];

        /// <summary>Replicated tables dropped (removed, changed or their source recreated); the views reading them are recreated.</summary>
        public List<string> DroppedTables { get; } = [];

        public List<string> DroppedSources { get; } = [];

        public List<DesiredSource> CreatedSources { get; } = [];

        public List<DesiredSource> AdoptedSources { get; } = [];

        public List<(DesiredSource Source, DesiredCdcTable Table)> CreatedTables { get; } = [];
    }

    private static SourceChanges PlanSourceChanges(DesiredSchema desired, ActualSchema actual)
    {
        var changes = new SourceChanges();
        var allow = desired.AllowDestructiveChanges;
        var desiredTables = desired.Sources.SelectMany(s => s.Tables).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var source in desired.Sources)
        {
            var exists = actual.Sources.ContainsKey(source.Name);
            var owned = actual.FindOwned(OwnedKinds.Source, source.Name);
            var changed = exists && owned is not null && owned.SpecHash != source.SpecHash;
            if (changed && !allow)
            {
                changes.Actions.Add(new DdlAction(DdlActionTypes.Blocked, DdlResources.Source, source.Name,
                    "its connection, slot or publication changed; recreating the source drops its tables and copies them again from the source database; " +
                    "set spec.ddl.allowDestructiveChanges: true to allow it, or restore the previous settings"));
                continue;
            }

            if (changed)
            {
                changes.DroppedSources.Add(source.Name);
            }

            if (!exists || changed)
            {
                changes.CreatedSources.Add(source);
            }
            else if (owned is null)
            {
                changes.AdoptedSources.Add(source);
            }

            changes.Actions.Add(new DdlAction(!exists ? DdlActionTypes.Create : changed ? DdlActionTypes.Update : DdlActionTypes.Unchanged,
                DdlResources.Source, source.Name, changed ? "connection changed: source and its tables recreated" : null));

            foreach (var table in source.Tables)
            {
                var tableExists = actual.Tables.ContainsKey(table.Name);
                var ownedTable = actual.FindOwned(OwnedKinds.CdcTable, table.Name);
                var tableChanged = tableExists && ownedTable?.SpecHash != table.SpecHash;
                if (tableChanged && !changed && !allow)
                {
                    changes.Actions.Add(new DdlAction(DdlActionTypes.Blocked, DdlResources.SourceTable, table.Name,
                        $"its definition (columns, key or {table.Upstream}) changed; the table would be dropped and copied again from the source; " +
                        "set spec.ddl.allowDestructiveChanges: true to allow it, or restore the previous definition"));
                    continue;
                }

                if (tableExists && (tableChanged || changed))
                {
                    changes.DroppedTables.Add(table.Name);
                }

                if (!tableExists || tableChanged || changed)
                {
                    changes.CreatedTables.Add((source, table));
                }

                changes.Actions.Add(new DdlAction(!tableExists ? DdlActionTypes.Create : tableChanged || changed ? DdlActionTypes.Update : DdlActionTypes.Unchanged,
                    DdlResources.SourceTable, table.Name, tableExists && (tableChanged || changed) ? "recreated from its source" : null));
            }
        }

        foreach (var gone in actual.Owned.Where(o => o.Kind == OwnedKinds.CdcTable && !desiredTables.Contains(o.Name)))
        {
            if (!actual.Tables.ContainsKey(gone.Name))
            {
                changes.DroppedTables.Add(gone.Name);
                continue;
            }

            if (!allow)
            {
                changes.Actions.Add(new DdlAction(DdlActionTypes.Blocked, DdlResources.SourceTable, gone.Name,
                    "removing it would drop the replicated table; set spec.ddl.allowDestructiveChanges: true to allow it, or restore it"));
                continue;
            }

            changes.DroppedTables.Add(gone.Name);
            changes.Actions.Add(new DdlAction(DdlActionTypes.Delete, DdlResources.SourceTable, gone.Name));
        }

        var desiredSources = desired.Sources.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in actual.Owned.Where(o => o.Kind == OwnedKinds.Source && !desiredSources.Contains(o.Name)))
        {
            if (actual.Sources.ContainsKey(gone.Name) && !allow)
            {
                changes.Actions.Add(new DdlAction(DdlActionTypes.Blocked, DdlResources.Source, gone.Name,
                    "removing the source drops its replication slot and stops replication; set spec.ddl.allowDestructiveChanges: true to allow it, or restore it"));
                continue;
            }

            changes.DroppedSources.Add(gone.Name);
            if (actual.Sources.ContainsKey(gone.Name))
            {
                changes.Actions.Add(new DdlAction(DdlActionTypes.Delete, DdlResources.Source, gone.Name, "its replication slot is dropped with it"));
            }
        }

        return changes;
    }

    /// <summary>Drops, then creates: tables before their sources go, sources before their tables come.</summary>
    private static void PlanSources(PlanBuilder plan, ActualSchema actual, SourceChanges changes)
    {
        foreach (var table in changes.DroppedTables)
        {
            if (actual.Tables.ContainsKey(table))
            {
                plan.Step($"DROP TABLE {plan.Qualified(table)}");
            }

            plan.Forget(OwnedKinds.CdcTable, table);
        }

        foreach (var source in changes.DroppedSources)
        {
            if (actual.Sources.ContainsKey(source))
            {
                plan.Step($"DROP SOURCE {plan.Qualified(source)}");
            }

            plan.Forget(OwnedKinds.Source, source);
        }

        foreach (var source in changes.AdoptedSources)
        {
            plan.Record(OwnedKinds.Source, source.Name, source.SpecHash);
        }

        foreach (var source in changes.CreatedSources)
        {
            var password = source.Password ?? throw new DdlException(DdlFailureReason.SourcePasswordMissing,
                $"source {source.Name}: no password to create it with",
                "set spec.sources[].connection.passwordSecretRef to a Secret key that exists in the project's namespace");
            plan.Add(new DdlStep(CreateSourceSql(plan, source, SqlLiteral(password)))
            {
                Redacted = CreateSourceSql(plan, source, SqlLiteral(SourceCredentials.Mask)),
            });
            plan.Record(OwnedKinds.Source, source.Name, source.SpecHash);
        }

        foreach (var (source, table) in changes.CreatedTables)
        {
            var columns = string.Join(", ", table.Columns.Select(c => $"{WaveletNames.Quote(c.Name)} {c.SqlType}"));
            var key = string.Join(", ", table.PrimaryKey.Select(WaveletNames.Quote));
            plan.Step($"CREATE TABLE {plan.Qualified(table.Name)} ({columns}, PRIMARY KEY ({key})) FROM {plan.Qualified(source.Name)} TABLE {SqlLiteral(table.Upstream)}");
            plan.Record(OwnedKinds.CdcTable, table.Name, table.SpecHash);
        }

        foreach (var action in changes.Actions)
        {
            plan.Action(action.Type, action.Resource, action.Name, action.Detail);
        }

    }

    private static string CreateSourceSql(PlanBuilder plan, DesiredSource source, string passwordLiteral) =>
        $"CREATE SOURCE {plan.Qualified(source.Name)} WITH (connector = 'postgres-cdc', hostname = {SqlLiteral(source.Host)}, " +
        $"port = '{source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}', username = {SqlLiteral(source.User)}, password = {passwordLiteral}, " +
        $"database.name = {SqlLiteral(source.Database)}, slot.name = {SqlLiteral(source.Slot)}, publication.name = {SqlLiteral(source.Publication)}, " +
        $"ssl.mode = {SqlLiteral(source.SslMode)})";

    /// <summary>
    /// A standard SQL string literal: quotes doubled, nothing else changed (RisingWave, like PostgreSQL, treats backslashes in
    /// '...' literally). RisingWave takes no parameters in WITH options, so this is the one place a value is written into SQL.
    /// </summary>
    internal static string SqlLiteral(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new DdlException(DdlFailureReason.DdlFailed, "a source setting contains a NUL character", "remove the NUL character from the value (check the Secret)");
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
