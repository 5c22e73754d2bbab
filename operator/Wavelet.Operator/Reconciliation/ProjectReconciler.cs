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
using Wavelet.Operator.Kubernetes.Events;
using Wavelet.Operator.Kubernetes.Watch;
using Wavelet.Operator.Observability;
using Wavelet.Operator.Status;

namespace Wavelet.Operator.Reconciliation;

/// <summary>
/// Turns one WaveletProject into a synced schema and a running data plane. A pass is pause → deletion → finalizer, then
/// the named phases validate → DDL → children → rollout, each projecting into one status that is written once at the end
/// (only when it changed); the Events the phases decided on are sent after that write. See docs/design/reconcile-phases.md.
/// </summary>
public sealed partial class ProjectReconciler
{
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
    private readonly DdlSyncMemo _memo = new();

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

    /// <summary>A full pass (DDL included).</summary>
    public Task<ReconcileResult> ReconcileAsync(string ns, string name, CancellationToken ct) => ReconcileAsync(ns, name, ReconcileScope.Full, ct);

    public async Task<ReconcileResult> ReconcileAsync(string ns, string name, ReconcileScope scope, CancellationToken ct)
    {
        var project = await _projects.GetAsync(ns, name, ct);
        if (project is null)
        {
            return ReconcileResult.Done;
        }

        if (project.GetAnnotation(ProjectAnnotations.Reconcile) == ProjectAnnotations.ReconcileDisabled)
        {
            _logger.ReconcilePaused(ns, name, ProjectAnnotations.Reconcile, ProjectAnnotations.ReconcileDisabled);
            return ReconcileResult.Done;
        }

        if (project.Metadata.DeletionTimestamp is not null)
        {
            _memo.Forget(project);
            return await RunAsync(NewPass(project, ReconcileScope.Full), FinalizeAsync, ct);
        }

        if (project.Metadata.Finalizers?.Contains(ProjectAnnotations.Finalizer) != true)
        {
            project = await SetFinalizersAsync(project, [.. project.Metadata.Finalizers ?? [], ProjectAnnotations.Finalizer], ct);
        }

        return await RunAsync(NewPass(project, scope), RunPhasesAsync, ct);
    }

    private ReconcilePass NewPass(WaveletProject project, ReconcileScope scope) =>
        new(project, new ProjectStatusBuilder(StatusComparer.Clone(project.Status), project.Metadata.Generation, Now()), scope);

    /// <summary>Runs the phases, then writes the status projection (at most once) and only then sends the pass's Events.</summary>
    private async Task<ReconcileResult> RunAsync(ReconcilePass pass, Func<ReconcilePass, CancellationToken, Task<ReconcileResult>> phases, CancellationToken ct)
    {
        ReconcileResult result;
        try
        {
            result = await phases(pass, ct) with { Phase = pass.Phase };
            if (result.WritesStatus)
            {
                pass.Status.ObservedGeneration();
                await WriteStatusAsync(pass.Project, pass.Status.Status, ct);
            }
        }
        finally
        {
            // Also when the status write failed: the Events describe what this pass did (DDL it applied), which a retry will not repeat.
            foreach (var e in pass.Events)
            {
                await (e.Type == EventTypes.Warning
                    ? _events.WarningAsync(pass.Project, e.Reason, e.Message, ct)
                    : _events.NormalAsync(pass.Project, e.Reason, e.Message, ct));
            }
        }

        return result;
    }

    private async Task<ReconcileResult> RunPhasesAsync(ReconcilePass pass, CancellationToken ct)
    {
        if (await ValidateAsync(pass, ct) is { } validated)
        {
            return validated;
        }

        pass.Phase = ReconcilePhase.Ddl;
        var (ddl, synced) = await SyncSchemaAsync(pass, ct);
        if (ddl is not null)
        {
            return ddl;
        }

        pass.Phase = ReconcilePhase.Children;
        var (children, deployment) = await ApplyChildrenAsync(pass, synced!, ct);
        if (children is not null)
        {
            return children;
        }

        pass.Phase = ReconcilePhase.Rollout;
        return Rollout(pass, deployment!, synced!.Sync);
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
}
