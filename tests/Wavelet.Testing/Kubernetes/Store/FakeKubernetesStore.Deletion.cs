namespace Wavelet.Testing.Kubernetes.Store;

/// <summary>
/// Deletion as kube-apiserver and its garbage collector do it, synchronously: finalizers hold an object (with a
/// deletionTimestamp) until they are removed; Background deletes the object and then its dependents (through
/// ownerReferences); Foreground holds the owner with the foregroundDeletion finalizer until its dependents are gone;
/// Orphan strips the owner reference from dependents. A namespace being deleted is Terminating until everything in it is
/// gone; a CRD being deleted takes its custom resources with it.
/// </summary>
internal sealed partial class FakeKubernetesStore
{
    private const string PropagationBackground = "Background";
    private const string PropagationForeground = "Foreground";
    private const string PropagationOrphan = "Orphan";
    private const string ForegroundFinalizer = "foregroundDeletion";

    public JsonObject Delete(FakeApiPath path, DeleteOptions options)
    {
        lock (_gate)
        {
            var type = Type(path);
            var stored = Find(path, type);
            var metadata = stored.Object["metadata"]!;
            if (options.PreconditionUid is not null && options.PreconditionUid != metadata["uid"]?.GetValue<string>())
            {
                throw FakeApiError.Conflict(type, path.Name!, $"Precondition failed: UID in precondition: {options.PreconditionUid}, UID in object meta: {metadata["uid"]}");
            }

            if (options.PreconditionResourceVersion is not null && options.PreconditionResourceVersion != metadata["resourceVersion"]?.GetValue<string>())
            {
                throw FakeApiError.Conflict(type, path.Name!, $"Precondition failed: ResourceVersion in precondition: {options.PreconditionResourceVersion}, ResourceVersion in object meta: {metadata["resourceVersion"]}");
            }

            if (options.PropagationPolicy is { } policy && policy is not (PropagationBackground or PropagationForeground or PropagationOrphan))
            {
                throw FakeApiError.Invalid(type, path.Name!, "propagationPolicy", $"Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"");
            }

            if (options.DryRun)
            {
                var preview = Output(stored.Object, path);
                if (Strings(metadata["finalizers"]).Count > 0 || options.PropagationPolicy == PropagationForeground || type is { IsCustom: false, Kind: "Namespace" })
                {
                    preview["metadata"]!["deletionTimestamp"] ??= Now();
                }

                return preview;
            }

            var result = DeleteLocked(Key(path, path.Name!), options.PropagationPolicy);
            result["apiVersion"] = path.ApiVersion;
            return result;
        }
    }

    private JsonObject DeleteLocked(FakeObjectKey key, string? propagationPolicy)
    {
        var stored = _objects[key];
        if (propagationPolicy == PropagationOrphan)
        {
            Orphan(stored.Object["metadata"]?["uid"]?.GetValue<string>());
        }

        var isNamespace = key is { Group: "", Resource: "namespaces" };
        var isDefinition = key is { Group: "apiextensions.k8s.io", Resource: "customresourcedefinitions" };
        var foreground = propagationPolicy == PropagationForeground && Dependents(UidOf(stored.Object)).Count > 0;
        var finalizers = Strings(stored.Object["metadata"]!["finalizers"]);
        if (finalizers.Count > 0 || foreground || isNamespace || isDefinition)
        {
            MarkDeleting(key, stored, foreground ? ForegroundFinalizer : null);
            if (foreground)
            {
                foreach (var dependent in Dependents(UidOf(stored.Object)))
                {
                    if (_objects.ContainsKey(dependent))
                    {
                        DeleteLocked(dependent, PropagationForeground);
                    }
                }

                FinishForeground(key);
            }

            if (isNamespace)
            {
                EmptyNamespace(key.Name);
            }

            if (isDefinition)
            {
                RemoveCustomResources(stored.Object);
            }

            return _objects.TryGetValue(key, out var still) ? (JsonObject)still.Object.DeepClone() : (JsonObject)stored.Object.DeepClone();
        }

        return RemoveLocked(key, propagationPolicy);
    }

    private void MarkDeleting(FakeObjectKey key, StoredObject stored, string? extraFinalizer)
    {
        var before = stored.Object;
        var updated = (JsonObject)before.DeepClone();
        var metadata = (JsonObject)updated["metadata"]!;
        var changed = false;
        if (metadata["deletionTimestamp"] is null)
        {
            metadata["deletionTimestamp"] = Now();
            metadata["deletionGracePeriodSeconds"] = 0;
            changed = true;
        }

        if (extraFinalizer is not null && !Strings(metadata["finalizers"]).Contains(extraFinalizer))
        {
            var finalizers = metadata["finalizers"] as JsonArray ?? [];
            finalizers.Add(extraFinalizer);
            metadata["finalizers"] = finalizers;
            changed = true;
        }

        if (key is { Group: "", Resource: "namespaces" } && updated["status"]?["phase"]?.GetValue<string>() != "Terminating")
        {
            updated["status"] = new JsonObject { ["phase"] = "Terminating" };
            changed = true;
        }

        if (changed)
        {
            stored.Object = updated;
            Commit(key, "MODIFIED", before, stored);
        }
    }

    private JsonObject RemoveLocked(FakeObjectKey key, string? propagationPolicy)
    {
        var stored = _objects[key];
        _objects.Remove(key);
        var before = stored.Object;
        var last = (JsonObject)before.DeepClone();
        stored.Object = last;
        Commit(key, "DELETED", before, stored);
        var uid = UidOf(before);
        if (propagationPolicy != PropagationOrphan)
        {
            CollectDependents(uid);
        }

        foreach (var owner in OwnerUids(before))
        {
            if (_objects.FirstOrDefault(o => UidOf(o.Value.Object) == owner).Key is { Name: not null } ownerKey && _objects.ContainsKey(ownerKey))
            {
                FinishForeground(ownerKey);
            }
        }

        if (key.Namespace.Length > 0)
        {
            FinishNamespace(key.Namespace);
        }

        var definitionKey = new FakeObjectKey("apiextensions.k8s.io", "customresourcedefinitions", "", $"{key.Resource}.{key.Group}");
        if (_objects.TryGetValue(definitionKey, out var definition) && definition.Object["metadata"]?["deletionTimestamp"] is not null)
        {
            RemoveCustomResources(definition.Object);
        }

        if (key is { Group: "apiextensions.k8s.io", Resource: "customresourcedefinitions" })
        {
            var group = before["spec"]?["group"]?.GetValue<string>();
            var plural = before["spec"]?["names"]?["plural"]?.GetValue<string>();
            if (group is not null && plural is not null)
            {
                Catalog.Remove(group, plural);
            }
        }

        return (JsonObject)last.DeepClone();
    }

    // Background garbage collection: dependents whose owners are all gone are deleted; others lose the owner reference.
    private void CollectDependents(string? ownerUid)
    {
        foreach (var dependentKey in Dependents(ownerUid))
        {
            if (!_objects.TryGetValue(dependentKey, out var dependent))
            {
                continue;
            }

            var remainingOwners = OwnerUids(dependent.Object).Where(uid => uid != ownerUid && _objects.Values.Any(o => UidOf(o.Object) == uid)).ToList();
            if (remainingOwners.Count > 0)
            {
                StripOwner(dependentKey, dependent, ownerUid!);
            }
            else
            {
                DeleteLocked(dependentKey, PropagationBackground);
            }
        }
    }

    private void Orphan(string? ownerUid)
    {
        foreach (var dependentKey in Dependents(ownerUid))
        {
            StripOwner(dependentKey, _objects[dependentKey], ownerUid!);
        }
    }

    private void StripOwner(FakeObjectKey key, StoredObject dependent, string ownerUid)
    {
        var before = dependent.Object;
        var updated = (JsonObject)before.DeepClone();
        var refs = (JsonArray)updated["metadata"]!["ownerReferences"]!;
        foreach (var reference in refs.Where(r => r?["uid"]?.GetValue<string>() == ownerUid).ToList())
        {
            refs.Remove(reference);
        }

        dependent.Object = updated;
        Commit(key, "MODIFIED", before, dependent);
    }

    // A foreground deletion completes once no dependent is left: the finalizer goes, and the owner with it if it was the last.
    private void FinishForeground(FakeObjectKey key)
    {
        if (!_objects.TryGetValue(key, out var stored) || !Strings(stored.Object["metadata"]!["finalizers"]).Contains(ForegroundFinalizer))
        {
            return;
        }

        if (Dependents(UidOf(stored.Object)).Count > 0)
        {
            return;
        }

        var before = stored.Object;
        var updated = (JsonObject)before.DeepClone();
        var finalizers = (JsonArray)updated["metadata"]!["finalizers"]!;
        foreach (var finalizer in finalizers.Where(f => f?.GetValue<string>() == ForegroundFinalizer).ToList())
        {
            finalizers.Remove(finalizer);
        }

        stored.Object = updated;
        Commit(key, "MODIFIED", before, stored);
        if (finalizers.Count == 0)
        {
            RemoveLocked(key, PropagationBackground);
        }
    }

    private void EmptyNamespace(string ns)
    {
        foreach (var key in _objects.Keys.Where(k => k.Namespace == ns).ToList())
        {
            if (_objects.TryGetValue(key, out var stored) && stored.Object["metadata"]?["deletionTimestamp"] is null)
            {
                DeleteLocked(key, PropagationBackground);
            }
        }

        FinishNamespace(ns);
    }

    // The namespace controller: a Terminating namespace is removed once nothing is left in it.
    private void FinishNamespace(string ns)
    {
        var key = new FakeObjectKey("", "namespaces", "", ns);
        if (!_objects.TryGetValue(key, out var stored) || stored.Object["metadata"]?["deletionTimestamp"] is null || _objects.Keys.Any(k => k.Namespace == ns))
        {
            return;
        }

        var finalizers = Strings(stored.Object["metadata"]!["finalizers"]);
        if (finalizers.Count == 0)
        {
            RemoveLocked(key, PropagationBackground);
        }
    }

    private void RemoveCustomResources(JsonObject definition)
    {
        var group = definition["spec"]?["group"]?.GetValue<string>();
        var plural = definition["spec"]?["names"]?["plural"]?.GetValue<string>();
        foreach (var key in _objects.Keys.Where(k => k.Group == group && k.Resource == plural).ToList())
        {
            if (_objects.TryGetValue(key, out var stored) && stored.Object["metadata"]?["deletionTimestamp"] is null)
            {
                DeleteLocked(key, PropagationBackground);
            }
        }

        var definitionKey = new FakeObjectKey("apiextensions.k8s.io", "customresourcedefinitions", "", definition["metadata"]!["name"]!.GetValue<string>());
        if (!_objects.Keys.Any(k => k.Group == group && k.Resource == plural) && _objects.TryGetValue(definitionKey, out var crd) && Strings(crd.Object["metadata"]!["finalizers"]).Count == 0)
        {
            RemoveLocked(definitionKey, PropagationBackground);
        }
    }

    private List<FakeObjectKey> Dependents(string? ownerUid) =>
        ownerUid is null ? [] : [.. _objects.Where(pair => OwnerUids(pair.Value.Object).Contains(ownerUid)).Select(pair => pair.Key)];

    private static string? UidOf(JsonObject obj) => obj["metadata"]?["uid"]?.GetValue<string>();

    private static List<string> OwnerUids(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.Select(r => r?["uid"]?.GetValue<string>()).OfType<string>().ToList() ?? [];
}
