namespace Wavelet.Operator.Reconciliation;

/// <summary>The named phases of one reconcile pass, in order; a pass ends in the first phase that cannot continue.</summary>
public enum ReconcilePhase
{
    /// <summary>Spec validation, suspension and the image policy: no I/O besides the suspend scale-down.</summary>
    Validate,

    /// <summary>Secrets and the RisingWave schema (skipped on a child-only pass whose DDL inputs are unchanged).</summary>
    Ddl,

    /// <summary>ConfigMap, Deployment, Service, PDB and HPA applied when they differ from the intent.</summary>
    Children,

    /// <summary>The Deployment's rollout read into the conditions.</summary>
    Rollout,

    /// <summary>Deletion: drop the RisingWave objects (deletionPolicy Delete) and release the finalizer.</summary>
    Finalize,
}

/// <summary>What may be skipped in a pass: the controller knows what woke a project up, the reconciler what changed.</summary>
public enum ReconcileScope
{
    /// <summary>Everything, DDL included: spec, annotation or deletion changes, resyncs (drift in RisingWave) and retries.</summary>
    Full,

    /// <summary>
    /// Only a child changed (the operator's own applies, a rollout, someone editing a Deployment): the DDL phase reuses the
    /// last sync when the project's generation, spec hash and database URL are those it was made for.
    /// </summary>
    Children,
}
