using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Ddl;
using Wavelet.Operator.Children;
using Wavelet.Operator.Status;

namespace Wavelet.Operator.Reconciliation;

/// <summary>What the DDL phase hands to the children phase.</summary>
public sealed record SyncedSchema(ResolvedSecrets Secrets, DdlSyncResult Sync);

public sealed partial class ProjectReconciler
{
    private const int MaxLastActions = 50;

    /// <summary>
    /// DDL phase: resolve the Secrets, then sync the schema, or on a child-only pass reuse the last sync made for this very
    /// generation, spec and database URL (no RisingWave session, no catalog read).
    /// </summary>
    private async Task<(ReconcileResult? Result, SyncedSchema? Synced)> SyncSchemaAsync(ReconcilePass pass, CancellationToken ct)
    {
        var project = pass.Project;
        ResolvedSecrets secrets;
        try
        {
            secrets = await _secrets.ResolveAsync(project, ct);
        }
        catch (MissingSecretException e)
        {
            pass.Status.Retrying(ConditionReasons.SecretNotFound, e.Message, ddl: false);
            pass.Warning(ConditionReasons.SecretNotFound, e.Message);
            return (ReconcileResult.RetryFor(ConditionReasons.SecretNotFound), null);
        }

        if (pass.Scope == ReconcileScope.Children && _memo.Recall(project, secrets) is { } remembered)
        {
            ProjectSync(pass, remembered, []);
            return (null, new SyncedSchema(secrets, remembered));
        }

        DdlSyncResult sync;
        try
        {
            await using var session = await _ddl.OpenAsync(secrets.DatabaseUrl, ct);
            sync = await session.SyncAsync(project, new SourceCredentials(secrets.SourcePasswords), ct);
        }
        catch (DdlException e)
        {
            _memo.Forget(project);
            var reason = ReasonFor(e.Reason);
            var message = e.Describe();
            pass.Warning(reason, message);
            pass.Status.Retrying(reason, message, ddl: true);
            if (e.NeedsSpecChange)
            {
                pass.Status.Set(ConditionTypes.Stalled, ConditionStatus.True, reason, message);
            }

            return (ReconcileResult.RetryFor(reason), null);
        }

        _memo.Remember(project, secrets, sync);
        var changes = sync.Actions.Where(a => a.IsChange || a.Type == DdlActionTypes.Blocked).ToList();
        foreach (var action in changes)
        {
            _metrics.DdlActions.Add(1, new KeyValuePair<string, object?>("type", action.Type));
            var reason = $"{Capitalize(action.Type)}{Capitalize(action.Resource)}";
            var message = $"{action.Type} {action.Resource} {action.Name} in schema {sync.Schema}" + (action.Detail is null ? "" : $": {action.Detail}");
            if (action.Type == DdlActionTypes.Blocked)
            {
                pass.Warning(reason, message);
            }
            else
            {
                pass.Normal(reason, message);
            }
        }

        ProjectSync(pass, sync, changes);
        return (null, new SyncedSchema(secrets, sync));
    }

    /// <summary>Projects a sync into the status; <paramref name="changes"/> are this pass's own actions (none when reused).</summary>
    private void ProjectSync(ReconcilePass pass, DdlSyncResult sync, List<DdlAction> changes)
    {
        var project = pass.Project;
        var status = pass.Status;
        var s = status.Status;
        var wasSynced = ConditionSet.IsTrue(s.Conditions, ConditionTypes.DdlSynced);
        if (changes.Count > 0)
        {
            s.LastActions = [.. changes.Take(MaxLastActions).Select(a => new DdlActionStatus { Type = a.Type, Resource = a.Resource, Name = a.Name, Detail = a.Detail })];
        }

        if (sync.HasBlocked)
        {
            var blocked = string.Join("; ", sync.Actions.Where(a => a.Type == DdlActionTypes.Blocked).Select(a => $"{a.Resource} {a.Name}: {a.Detail}"));
            var message = $"destructive changes were not applied: {blocked}. Revert them, or set spec.ddl.allowDestructiveChanges: true to accept the data loss.";
            status.Set(ConditionTypes.DdlSynced, ConditionStatus.False, ConditionReasons.DestructiveChangeBlocked, message);
            status.Set(ConditionTypes.Stalled, ConditionStatus.True, ConditionReasons.DestructiveChangeBlocked, message);
        }
        else
        {
            status.Set(ConditionTypes.DdlSynced, ConditionStatus.True, ConditionReasons.Synced,
                $"schema {sync.Schema} has {project.Spec.Events.Count} event table(s) and {project.Spec.Queries.Count} query view(s) with subscriptions");
            status.Set(ConditionTypes.Stalled, ConditionStatus.False, ConditionReasons.NotStalled, "nothing needs a spec change");
        }

        if (changes.Count > 0 || !wasSynced || s.LastSyncTime is null)
        {
            s.LastSyncTime = Now();
        }

        s.QueryCount = project.Spec.Queries.Count;
        s.Queries = [.. sync.Queries.Select(q => new QueryStatus
        {
            Name = q.Name,
            Subscription = q.Subscription,
            Columns = [.. q.Columns.Select(c => new ColumnStatus { Name = c.Name, Type = c.Type })],
        })];
        s.Events = [.. project.Spec.Events.Select(e => new EventStatus
        {
            Name = e.Name,
            Table = e.Name,
            Columns = [.. e.Columns.Select(c => new ColumnStatus { Name = c.Name, Type = ColumnTypes.ToSqlType(c.Type).ToLowerInvariant() })],
        })];
    }

    private static string Capitalize(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
