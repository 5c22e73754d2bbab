using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Api.Validation;
using Wavelet.Operator.Children;
using Wavelet.Ddl;
using Wavelet.Operator.Hosting;
using Wavelet.Operator.Kubernetes;
using Wavelet.Operator.Kubernetes.Watch;
using Wavelet.Operator.Observability;
using Wavelet.Operator.Status;

namespace Wavelet.Operator.Reconciliation;

/// <summary>
/// Turns one WaveletProject into a synced schema and a running data plane: pause → deletion → finalizer → validation →
/// Secrets → DDL → ConfigMap → Deployment/Service/PDB/HPA → rollout → status (written only when it changed).
/// </summary>
public sealed partial class ProjectReconciler
{
    private const int MaxLastActions = 50;
    private static readonly TimeSpan RolloutPoll = TimeSpan.FromSeconds(30);

    private readonly IKubernetes _client;
    private readonly ResourceApi<WaveletProject> _projects;
    private readonly IDdlSessionFactory _ddl;
    private readonly IProjectEvents _events;
    private readonly OperatorMetrics _metrics;
    private readonly OperatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ProjectReconciler> _logger;
    private readonly SecretResolver _secrets;
    private readonly ChildApplier _children;
    private readonly ImagePolicy _images;

    public ProjectReconciler(
        IKubernetes client, IDdlSessionFactory ddl, IProjectEvents events, OperatorMetrics metrics,
        IOptions<OperatorOptions> options, TimeProvider time, ILogger<ProjectReconciler> logger, InformerCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _projects = new ResourceApi<WaveletProject>(client);
        _ddl = ddl;
        _events = events;
        _metrics = metrics;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _secrets = new SecretResolver(client);
        _children = new ChildApplier(client, cache);
        _images = new ImagePolicy(_options.AllowedImages, _options.DataPlaneImage);
    }

    public async Task<ReconcileResult> ReconcileAsync(string ns, string name, CancellationToken ct)
    {
        var project = await _projects.GetAsync(ns, name, ct);
        if (project is null)
        {
            return ReconcileResult.Done;
        }

        if (project.GetAnnotation(ProjectAnnotations.Reconcile) == ProjectAnnotations.ReconcileDisabled)
        {
            _logger.LogInformation("{Namespace}/{Name} is paused by {Annotation}: {Value}; nothing is changed", ns, name, ProjectAnnotations.Reconcile, ProjectAnnotations.ReconcileDisabled);
            return ReconcileResult.Done;
        }

        if (project.Metadata.DeletionTimestamp is not null)
        {
            return await FinalizeAsync(project, ct);
        }

        if (project.Metadata.Finalizers?.Contains(ProjectAnnotations.Finalizer) != true)
        {
            project = await SetFinalizersAsync(project, [.. project.Metadata.Finalizers ?? [], ProjectAnnotations.Finalizer], ct);
        }

        var status = new ProjectStatusBuilder(StatusComparer.Clone(project.Status), project.Metadata.Generation, Now());
        var result = await ReconcileSpecAsync(project, status, ct);
        status.ObservedGeneration();
        await WriteStatusAsync(project, status.Status, ct);
        return result;
    }

    private async Task<ReconcileResult> ReconcileSpecAsync(WaveletProject project, ProjectStatusBuilder status, CancellationToken ct)
    {
        var problems = WaveletProjectValidator.Validate(project);
        if (problems.Count > 0)
        {
            var message = $"the spec is invalid: {string.Join("; ", problems)}. Fix the spec; the operator retries when it changes.";
            var known = ConditionSet.Find(status.Status.Conditions, ConditionTypes.Stalled) is { Reason: ConditionReasons.InvalidSpec } seen
                && seen.ObservedGeneration == project.Metadata.Generation;
            status.Stalled(ConditionReasons.InvalidSpec, message);
            if (!known)
            {
                await _events.WarningAsync(project, ConditionReasons.InvalidSpec, message, ct);
            }

            return ReconcileResult.StalledBy(ConditionReasons.InvalidSpec);
        }

        if (WaveletProjectDefaults.IsSuspended(project))
        {
            return await SuspendAsync(project, status, ct);
        }

        var image = DeploymentBuilder.EffectiveImage(project, _options.DataPlaneImage);
        if (!_images.IsAllowed(image))
        {
            var message = $"spec.dataPlane.image \"{image}\" is not allowed by the operator's image policy (allowed: {string.Join(", ", _images.Allowed)}). " +
                "Use an allowed image or remove spec.dataPlane.image; the installer can widen the policy with the chart value dataPlane.allowedImages.";
            var known = ConditionSet.Find(status.Status.Conditions, ConditionTypes.Stalled) is { Reason: ConditionReasons.ImageNotAllowed } seen
                && seen.ObservedGeneration == project.Metadata.Generation;
            status.Stalled(ConditionReasons.ImageNotAllowed, message);
            if (!known)
            {
                await _events.WarningAsync(project, ConditionReasons.ImageNotAllowed, message, ct);
            }

            return ReconcileResult.StalledBy(ConditionReasons.ImageNotAllowed);
        }

        ResolvedSecrets secrets;
        try
        {
            secrets = await _secrets.ResolveAsync(project, ct);
        }
        catch (MissingSecretException e)
        {
            status.Retrying(ConditionReasons.SecretNotFound, e.Message, ddl: false);
            await _events.WarningAsync(project, ConditionReasons.SecretNotFound, e.Message, ct);
            return ReconcileResult.RetryFor(ConditionReasons.SecretNotFound);
        }

        DdlSyncResult sync;
        try
        {
            await using var session = await _ddl.OpenAsync(secrets.DatabaseUrl, ct);
            sync = await session.SyncAsync(project, new SourceCredentials(secrets.SourcePasswords), ct);
        }
        catch (DdlException e)
        {
            var reason = ReasonFor(e.Reason);
            var message = e.Describe();
            await _events.WarningAsync(project, reason, message, ct);
            if (e.NeedsSpecChange)
            {
                status.Retrying(reason, message, ddl: true);
                status.Set(ConditionTypes.Stalled, ConditionStatus.True, reason, message);
            }
            else
            {
                status.Retrying(reason, message, ddl: true);
            }

            return ReconcileResult.RetryFor(reason);
        }

        await RecordSyncAsync(project, status, sync, ct);

        var config = DataPlaneConfigBuilder.Build(project, sync);
        V1Deployment deployment;
        try
        {
            await _children.ApplyAsync(ConfigMapBuilder.Build(project, config), ct);
            deployment = await _children.ApplyAsync(DeploymentBuilder.Build(project, _options.DataPlaneImage, secrets.ResourceVersions, _options.DataPlaneAllowPrivateEgress), ct);
            await _children.ApplyAsync(ServiceBuilder.Build(project), ct);
            await ApplyOptionalAsync(project, ct);
        }
        catch (HttpOperationException e) when (e.IsRefusal())
        {
            // Conflicts and server errors go back to the queue untouched; a refusal is the user's or the installer's to fix.
            var message = $"the Kubernetes API refused a data-plane object: {e.Status().Message}. Check spec.dataPlane (invalid values) or the operator's RBAC (forbidden).";
            status.Retrying(ConditionReasons.ApplyFailed, message, ddl: false);
            await _events.WarningAsync(project, ConditionReasons.ApplyFailed, message, ct);
            return ReconcileResult.RetryFor(ConditionReasons.ApplyFailed);
        }

        return Rollout(project, status, deployment, sync);
    }

    private async Task RecordSyncAsync(WaveletProject project, ProjectStatusBuilder status, DdlSyncResult sync, CancellationToken ct)
    {
        var changes = sync.Actions.Where(a => a.IsChange || a.Type == DdlActionTypes.Blocked).ToList();
        foreach (var action in changes)
        {
            _metrics.DdlActions.Add(1, new KeyValuePair<string, object?>("type", action.Type));
            var reason = $"{Capitalize(action.Type)}{Capitalize(action.Resource)}";
            var message = $"{action.Type} {action.Resource} {action.Name} in schema {sync.Schema}" + (action.Detail is null ? "" : $": {action.Detail}");
            if (action.Type == DdlActionTypes.Blocked)
            {
                await _events.WarningAsync(project, reason, message, ct);
            }
            else
            {
                await _events.NormalAsync(project, reason, message, ct);
            }
        }

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

    private async Task ApplyOptionalAsync(WaveletProject project, CancellationToken ct)
    {
        var ns = project.Namespace();
        var name = ChildNames.Workload(project);
        if (PodDisruptionBudgetBuilder.Build(project) is { } pdb)
        {
            await _children.ApplyAsync(pdb, ct);
        }
        else
        {
            await _children.DeleteIfOwnedAsync<V1PodDisruptionBudget>(ns, name, project.Uid(), ct);
        }

        if (HorizontalPodAutoscalerBuilder.Build(project) is { } hpa)
        {
            await _children.ApplyAsync(hpa, ct);
        }
        else
        {
            await _children.DeleteIfOwnedAsync<V2HorizontalPodAutoscaler>(ns, name, project.Uid(), ct);
        }
    }

    private static ReconcileResult Rollout(WaveletProject project, ProjectStatusBuilder status, V1Deployment deployment, DdlSyncResult sync)
    {
        var s = status.Status;
        var rollout = RolloutStatus.Read(deployment);
        s.Endpoint = ChildNames.Endpoint(project, ServiceBuilder.Port(project));
        s.Replicas = deployment.Status?.Replicas ?? 0;
        s.ReadyReplicas = deployment.Status?.ReadyReplicas ?? 0;
        var ddlOk = !sync.HasBlocked;
        switch (rollout.State)
        {
            case RolloutState.Complete:
                status.Set(ConditionTypes.DataPlaneAvailable, ConditionStatus.True, ConditionReasons.Available, rollout.Message);
                status.Set(ConditionTypes.Reconciling, ConditionStatus.False, ConditionReasons.Converged, "the data plane runs the current spec");
                if (ddlOk)
                {
                    status.Set(ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.Available, $"schema synced and data plane available at {s.Endpoint}");
                }
                else
                {
                    status.Set(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.DestructiveChangeBlocked, "the data plane runs, but destructive schema changes are blocked (see DdlSynced)");
                }

                return ReconcileResult.Done;
            case RolloutState.Failed:
                status.Set(ConditionTypes.DataPlaneAvailable, ConditionStatus.False, ConditionReasons.ProgressDeadlineExceeded, rollout.Message);
                status.Set(ConditionTypes.Reconciling, ConditionStatus.False, ConditionReasons.ProgressDeadlineExceeded, rollout.Message);
                status.Set(ConditionTypes.Stalled, ConditionStatus.True, ConditionReasons.ProgressDeadlineExceeded, rollout.Message);
                status.Set(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.ProgressDeadlineExceeded, rollout.Message);
                return ReconcileResult.Done;
            default:
                status.Set(ConditionTypes.DataPlaneAvailable, ConditionStatus.False, ConditionReasons.RollingOut, rollout.Message);
                status.Set(ConditionTypes.Reconciling, ConditionStatus.True, ConditionReasons.RollingOut, rollout.Message);
                status.Set(ConditionTypes.Ready, ConditionStatus.False, ddlOk ? ConditionReasons.RollingOut : ConditionReasons.DestructiveChangeBlocked, $"data plane rolling out: {rollout.Message}");
                return ReconcileResult.After(RolloutPoll);
        }
    }

    private async Task<ReconcileResult> SuspendAsync(WaveletProject project, ProjectStatusBuilder status, CancellationToken ct)
    {
        var ns = project.Namespace();
        var name = ChildNames.Workload(project);
        var deployments = new ResourceApi<V1Deployment>(_client);
        var deployment = await deployments.GetAsync(ns, name, ct);
        if (deployment?.Spec is { Replicas: not 0 })
        {
            await deployments.MergePatchAsync(ns, name, new { spec = new { replicas = 0 } }, ct);
        }

        await _children.DeleteIfOwnedAsync<V2HorizontalPodAutoscaler>(ns, name, project.Uid(), ct);
        const string message = "spec.suspend is true: DDL is not applied and the data plane is scaled to zero; RisingWave objects are kept. Set spec.suspend: false to resume.";
        status.Set(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.Suspended, message);
        status.Set(ConditionTypes.DataPlaneAvailable, ConditionStatus.False, ConditionReasons.Suspended, message);
        status.Set(ConditionTypes.Reconciling, ConditionStatus.False, ConditionReasons.Suspended, message);
        status.Set(ConditionTypes.Stalled, ConditionStatus.False, ConditionReasons.NotStalled, message);
        status.Status.Replicas = 0;
        status.Status.ReadyReplicas = 0;
        return ReconcileResult.Done;
    }

    private async Task WriteStatusAsync(WaveletProject project, WaveletProjectStatus status, CancellationToken ct)
    {
        if (StatusComparer.AreEqual(project.Status, status))
        {
            return;
        }

        project.Status = status;
        await _projects.ReplaceStatusAsync(project, ct);
    }

    // A JsonObject, not a POCO: the Kubernetes serializer omits empty lists, but removing the last finalizer needs "finalizers": [].
    private async Task<WaveletProject> SetFinalizersAsync(WaveletProject project, List<string> finalizers, CancellationToken ct) =>
        await _projects.MergePatchAsync(project.Namespace(), project.Name(), new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]),
                ["resourceVersion"] = project.Metadata.ResourceVersion,
            },
        }, ct);

    private DateTimeOffset Now()
    {
        var now = _time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    internal static string ReasonFor(DdlFailureReason reason) => reason switch
    {
        DdlFailureReason.RisingWaveUnreachable => ConditionReasons.RisingWaveUnreachable,
        DdlFailureReason.SchemaOwnedElsewhere => ConditionReasons.SchemaOwnedElsewhere,
        DdlFailureReason.SourceUnreachable => ConditionReasons.SourceUnreachable,
        DdlFailureReason.SourceNotLogical => ConditionReasons.SourceWalLevelNotLogical,
        DdlFailureReason.SourcePasswordMissing => ConditionReasons.SecretNotFound,
        DdlFailureReason.SchemaNotEmpty => ConditionReasons.SchemaNotEmpty,
        DdlFailureReason.SchemaClaimConflict => ConditionReasons.SchemaClaimConflict,
        DdlFailureReason.InvalidConnectionUrl => ConditionReasons.InvalidConnectionUrl,
        DdlFailureReason.ReadOutsideSchema => ConditionReasons.ReadOutsideSchema,
        _ => ConditionReasons.DdlFailed,
    };

    private static string Capitalize(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
