using Microsoft.Extensions.Logging;
using k8s.Models;
using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Children;
using Wavelet.Ddl;
using Wavelet.Operator.Status;

namespace Wavelet.Operator.Reconciliation;

public sealed partial class ProjectReconciler
{
    /// <summary>
    /// Deletion: with deletionPolicy Delete (and only if the project ever synced) drop its RisingWave objects first; a database
    /// that is down keeps the finalizer until it is back or an admin sets the force-release annotation. Children go by GC.
    /// </summary>
    private async Task<ReconcileResult> FinalizeAsync(ReconcilePass pass, CancellationToken ct)
    {
        pass.Phase = ReconcilePhase.Finalize;
        var project = pass.Project;
        var finalizers = project.Metadata.Finalizers ?? [];
        if (!finalizers.Contains(ProjectAnnotations.Finalizer))
        {
            return ReconcileResult.Done with { WritesStatus = false };
        }

        var forceRelease = project.GetAnnotation(ProjectAnnotations.ForceRelease) == "true";
        var everSynced = project.Status?.LastSyncTime is not null;
        var drop = WaveletProjectDefaults.EffectiveDeletionPolicy(project) == DeletionPolicies.Delete && everSynced && !forceRelease;
        if (forceRelease)
        {
            _logger.FinalizerForceReleased(
                project.Metadata.NamespaceProperty, project.Metadata.Name, ProjectAnnotations.ForceRelease);
        }

        if (drop)
        {
            var blocked = await DropSchemaAsync(pass, ct);
            if (blocked is not null)
            {
                var status = pass.Status;
                var message = $"{blocked} The finalizer stays until the objects are dropped; to delete the project without dropping them, " +
                    $"set the annotation {ProjectAnnotations.ForceRelease}: \"true\".";
                status.Set(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.DeletionBlocked, message);
                status.Set(ConditionTypes.Reconciling, ConditionStatus.True, ConditionReasons.DeletionBlocked, message);
                pass.Warning(ConditionReasons.DeletionBlocked, message);
                return ReconcileResult.RetryFor(ConditionReasons.DeletionBlocked);
            }
        }

        await SetFinalizersAsync(project, [.. finalizers.Where(f => f != ProjectAnnotations.Finalizer)], ct);
        return ReconcileResult.Done with { WritesStatus = false };
    }

    /// <summary>Drops the schema objects; returns why it could not, or null on success.</summary>
    private async Task<string?> DropSchemaAsync(ReconcilePass pass, CancellationToken ct)
    {
        var project = pass.Project;
        ResolvedSecrets secrets;
        try
        {
            secrets = await _secrets.ResolveAsync(project, ct);
        }
        catch (MissingSecretException e)
        {
            return $"cannot drop the RisingWave objects (deletionPolicy: Delete): {e.Message}.";
        }

        try
        {
            await using var session = await _ddl.OpenAsync(secrets.DatabaseUrl, ct);
            var actions = await session.DropAsync(project, new SourceCredentials(secrets.SourcePasswords), ct);
            foreach (var action in actions.Where(a => a.IsChange))
            {
                _metrics.DdlActions.Add(1, new KeyValuePair<string, object?>("type", action.Type));
                pass.Normal($"Delete{char.ToUpperInvariant(action.Resource[0])}{action.Resource[1..]}",
                    $"dropped {action.Resource} {action.Name} (deletionPolicy: Delete)");
            }

            return null;
        }
        catch (DdlException e)
        {
            return $"cannot drop the RisingWave objects (deletionPolicy: Delete): {e.Describe()}.";
        }
    }
}
