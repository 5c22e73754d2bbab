using Wavelet.Testing.Kubernetes.FieldManagement;
using Wavelet.Testing.Kubernetes.Patching;

namespace Wavelet.Testing.Kubernetes.Store;

/// <summary>Writes: create, replace, the three patch types, server-side apply; each admitted, dry-run aware, field-owned.</summary>
internal sealed partial class FakeKubernetesStore
{
    public WriteResult Create(FakeApiPath path, JsonObject body, WriteOptions options)
    {
        lock (_gate)
        {
            var type = Type(path);
            if (path.Name is not null)
            {
                throw new FakeApiError(405, "MethodNotAllowed", "POST is only allowed on a collection");
            }

            var metadata = body["metadata"] as JsonObject ?? new JsonObject();
            body["metadata"] = metadata;
            var name = metadata["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name))
            {
                var prefix = metadata["generateName"]?.GetValue<string>();
                if (string.IsNullOrEmpty(prefix))
                {
                    throw FakeApiError.Invalid(type, "", "metadata.name", "Required value: name or generateName is required");
                }

                name = prefix + Guid.NewGuid().ToString("N")[..5];
                metadata["name"] = name;
            }

            CheckNamespace(path, metadata);
            type = Catalog.LearnKind(type, body["kind"]?.GetValue<string>() ?? "");
            RequireNamespace(type, path, name);
            var key = Key(path, name);
            if (_objects.ContainsKey(key))
            {
                throw FakeApiError.AlreadyExists(type, name);
            }

            var obj = NewObject(key, type, path, body);
            var warnings = Admission.Admit(type, obj, null, options.FieldValidation, creating: true);
            var crdType = DefineResource(type, obj, null);
            var owners = new ManagedFields();
            owners.RecordUpdate(options.FieldManager, "", path.ApiVersion, null, obj, Schema(type), ManagedFields.Scope("", type.HasStatusSubresource), Now());
            WithManagedFields(obj, owners);
            if (options.DryRun)
            {
                return new WriteResult(Output(obj, path), true, warnings);
            }

            var stored = new StoredObject(obj, owners);
            _objects[key] = stored;
            Commit(key, "ADDED", null, stored);
            if (crdType is not null)
            {
                Catalog.Put(crdType);
            }

            return new WriteResult(Output(stored.Object, path), true, warnings);
        }
    }

    public WriteResult Replace(FakeApiPath path, JsonObject body, WriteOptions options)
    {
        lock (_gate)
        {
            var type = Type(path);
            var stored = Find(path, type);
            var metadata = body["metadata"] as JsonObject ?? throw FakeApiError.BadRequest("metadata is required");
            var bodyName = metadata["name"]?.GetValue<string>();
            if (bodyName != path.Name)
            {
                throw FakeApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({path.Name})");
            }

            CheckNamespace(path, metadata);
            var sentVersion = metadata["resourceVersion"]?.GetValue<string>();
            if (string.IsNullOrEmpty(sentVersion))
            {
                if (type.IsCustom)
                {
                    throw FakeApiError.Invalid(type, path.Name!, "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update");
                }
            }
            else if (sentVersion != stored.Object["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                throw FakeApiError.Conflict(type, path.Name!, "the object has been modified; please apply your changes to the latest version and try again");
            }

            var updated = Separate(type, path, stored.Object, body);
            return UpdateLocked(Key(path, path.Name!), type, path, stored, updated, options, null);
        }
    }

    /// <summary>PATCH with a JSON merge patch, a strategic merge patch (built-in kinds only) or a JSON patch.</summary>
    public WriteResult Patch(FakeApiPath path, string patchType, JsonNode patch, WriteOptions options)
    {
        lock (_gate)
        {
            var type = Type(path);
            var stored = Find(path, type);
            JsonObject patched;
            switch (patchType)
            {
                case "application/merge-patch+json":
                case "application/strategic-merge-patch+json":
                    if (patch is not JsonObject patchObject)
                    {
                        throw FakeApiError.BadRequest("the patch must be a JSON object");
                    }

                    var sentVersion = patchObject["metadata"]?["resourceVersion"]?.GetValue<string>();
                    if (!string.IsNullOrEmpty(sentVersion) && sentVersion != stored.Object["metadata"]!["resourceVersion"]!.GetValue<string>())
                    {
                        throw FakeApiError.Conflict(type, path.Name!, "the object has been modified; please apply your changes to the latest version and try again");
                    }

                    patched = patchType == "application/merge-patch+json"
                        ? (JsonObject)JsonTools.MergePatch(stored.Object, patchObject)!
                        : StrategicMergePatch.Apply(stored.Object, patchObject, Schema(type));
                    break;
                case "application/json-patch+json":
                    if (patch is not JsonArray operations)
                    {
                        throw FakeApiError.BadRequest("a JSON patch must be an array of operations");
                    }

                    try
                    {
                        patched = JsonPatch.Apply(stored.Object, operations) as JsonObject ?? throw FakeApiError.BadRequest("the JSON patch does not leave an object");
                    }
                    catch (FormatException ex)
                    {
                        throw new FakeApiError(422, "Invalid", $"the server rejected our request due to an error in our request: {ex.Message}");
                    }

                    break;
                default:
                    throw new FakeApiError(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");
            }

            var updated = Separate(type, path, stored.Object, patched);
            return UpdateLocked(Key(path, path.Name!), type, path, stored, updated, options, null);
        }
    }

    public WriteResult Apply(FakeApiPath path, JsonObject intent, WriteOptions options)
    {
        lock (_gate)
        {
            var type = Type(path);
            var metadata = intent["metadata"] as JsonObject ?? throw FakeApiError.BadRequest("metadata is required for apply");
            if (metadata["name"]?.GetValue<string>() != path.Name)
            {
                throw FakeApiError.BadRequest($"the name of the object ({metadata["name"]}) does not match the name on the URL ({path.Name})");
            }

            if (intent["apiVersion"] is null || intent["kind"] is null)
            {
                throw FakeApiError.BadRequest("apply needs apiVersion and kind in the body");
            }

            CheckNamespace(path, metadata);
            type = Catalog.LearnKind(type, intent["kind"]!.GetValue<string>());
            var key = Key(path, path.Name!);
            var subresource = path.Subresource ?? "";
            if ((subresource == "status" && !type.HasStatusSubresource) || subresource is not ("" or "status"))
            {
                throw FakeApiError.NotFound(type, path.Name + "/" + path.Subresource);
            }

            if (type.IsCustom && type.Schema is { } schema)
            {
                // Unknown fields are pruned from the intent before it is owned, as the real server decodes the body first.
                var pruned = StructuralSchema.Prune(intent, new SchemaNode(schema));
                if (pruned.Count > 0 && options.FieldValidation == "Strict")
                {
                    throw FakeApiError.BadRequest($".{string.Join(", .", pruned)}: field not declared in schema");
                }
            }

            var scope = ManagedFields.Scope(subresource, type.HasStatusSubresource);
            var exists = _objects.TryGetValue(key, out var stored);
            if (!exists)
            {
                if (subresource == "status")
                {
                    throw FakeApiError.NotFound(type, path.Name!);
                }

                RequireNamespace(type, path, path.Name!);
            }

            var live = exists
                ? stored!.Object
                : new JsonObject { ["apiVersion"] = intent["apiVersion"]!.DeepClone(), ["kind"] = intent["kind"]!.DeepClone(), ["metadata"] = new JsonObject { ["name"] = path.Name } };
            var owners = exists ? stored!.Owners.Clone() : new ManagedFields();
            var sentVersion = metadata["resourceVersion"]?.GetValue<string>();
            if (exists && !string.IsNullOrEmpty(sentVersion) && sentVersion != live["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                throw FakeApiError.Conflict(type, path.Name!, "the object has been modified; please apply your changes to the latest version and try again");
            }

            var applied = ServerSideApply.Apply(live, intent, owners, options.FieldManager, subresource, path.ApiVersion, Schema(type), scope, options.Force, Now());
            if (applied.Conflicts.Count > 0)
            {
                throw ConflictError(type, path.Name!, applied.Conflicts);
            }

            if (!exists)
            {
                var obj = NewObject(key, type, path, applied.Object);
                var warnings = Admission.Admit(type, obj, null, options.FieldValidation, creating: true);
                var crdType = DefineResource(type, obj, null);
                WithManagedFields(obj, owners);
                if (options.DryRun)
                {
                    return new WriteResult(Output(obj, path), true, warnings);
                }

                var created = new StoredObject(obj, owners);
                _objects[key] = created;
                Commit(key, "ADDED", null, created);
                if (crdType is not null)
                {
                    Catalog.Put(crdType);
                }

                return new WriteResult(Output(created.Object, path), true, warnings);
            }

            return UpdateLocked(key, type, path, stored!, applied.Object, options, owners);
        }
    }

    private static FakeApiError ConflictError(ResourceType type, string name, IReadOnlyList<ServerSideApply.Conflict> conflicts)
    {
        var causes = new JsonArray([.. conflicts.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = "FieldManagerConflict",
            ["message"] = $"conflict with \"{c.Manager}\" using {c.ApiVersion}",
            ["field"] = FieldPaths.Display(c.Field),
        })]);
        var message = conflicts.Count == 1
            ? $"Apply failed with 1 conflict: conflict with \"{conflicts[0].Manager}\" using {conflicts[0].ApiVersion}: {FieldPaths.Display(conflicts[0].Field)}"
            : $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", conflicts.GroupBy(c => (c.Manager, c.ApiVersion)).Select(g =>
                $"conflicts with \"{g.Key.Manager}\" using {g.Key.ApiVersion}:\n" + string.Join("\n", g.Select(c => "- " + FieldPaths.Display(c.Field)))));
        return new FakeApiError(409, "Conflict", message, FakeApiError.DetailsFor(type, name, causes));
    }

    /// <summary>Direct write for tests: stores the object as given (assigning uid, creationTimestamp, resourceVersion) and notifies watchers.</summary>
    public JsonObject Put(string group, string resource, JsonObject obj)
    {
        lock (_gate)
        {
            var type = Catalog.Get(group, "v1", resource);
            type = Catalog.LearnKind(type, obj["kind"]?.GetValue<string>() ?? "");
            var metadata = obj["metadata"] as JsonObject ?? throw new ArgumentException("the object needs metadata.name");
            var name = metadata["name"]?.GetValue<string>() ?? throw new ArgumentException("the object needs metadata.name");
            var ns = metadata["namespace"]?.GetValue<string>() ?? "";
            var key = new FakeObjectKey(group, resource, ns, name);
            var copy = (JsonObject)obj.DeepClone();
            var copyMetadata = (JsonObject)copy["metadata"]!;
            if (!_objects.TryGetValue(key, out var stored))
            {
                copyMetadata["uid"] ??= Guid.NewGuid().ToString();
                copyMetadata["creationTimestamp"] ??= Now();
                if (type.HasGeneration)
                {
                    copyMetadata["generation"] ??= 1;
                }

                stored = new StoredObject(copy, new ManagedFields());
                _objects[key] = stored;
                Commit(key, "ADDED", null, stored);
            }
            else
            {
                var before = stored.Object;
                stored.Object = copy;
                Commit(key, "MODIFIED", before, stored);
            }

            return (JsonObject)stored.Object.DeepClone();
        }
    }

    private JsonObject NewObject(FakeObjectKey key, ResourceType type, FakeApiPath path, JsonObject body)
    {
        var obj = (JsonObject)body.DeepClone();
        var metadata = (JsonObject)obj["metadata"]!;
        if (key.Namespace.Length > 0)
        {
            metadata["namespace"] = key.Namespace;
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Now();
        foreach (var field in new[] { "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "resourceVersion", "selfLink" })
        {
            metadata.Remove(field);
        }

        if (type.HasGeneration)
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }

        if (type.HasStatusSubresource && path.Group != "apiextensions.k8s.io")
        {
            obj.Remove("status");
        }

        obj["apiVersion"] = path.ApiVersion;
        if (type.Kind.Length > 0)
        {
            obj["kind"] = type.Kind;
        }

        if (type is { IsCustom: false, Kind: "Namespace" })
        {
            obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] = new JsonObject { ["phase"] = "Active" };
        }

        return obj;
    }

    private WriteResult UpdateLocked(FakeObjectKey key, ResourceType type, FakeApiPath path, StoredObject stored, JsonObject updated, WriteOptions options, ManagedFields? appliedOwners)
    {
        var before = stored.Object;
        var oldMeta = (JsonObject)before["metadata"]!;
        var newMeta = updated["metadata"] as JsonObject ?? new JsonObject();
        updated["metadata"] = newMeta;

        // server-owned metadata cannot be changed by clients
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "name", "namespace" })
        {
            if (oldMeta[field] is { } value)
            {
                newMeta[field] = value.DeepClone();
            }
            else
            {
                newMeta.Remove(field);
            }
        }

        newMeta.Remove("managedFields");
        newMeta["resourceVersion"] = oldMeta["resourceVersion"]!.DeepClone();
        updated["apiVersion"] = before["apiVersion"]?.DeepClone();
        updated["kind"] = before["kind"]?.DeepClone();

        if (oldMeta["deletionTimestamp"] is not null)
        {
            var added = Strings(newMeta["finalizers"]).Except(Strings(oldMeta["finalizers"])).ToList();
            if (added.Count > 0)
            {
                throw FakeApiError.Invalid(type, key.Name, "metadata.finalizers", $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers [{string.Join(" ", added)}]");
            }
        }

        var warnings = Admission.Admit(type, updated, before, options.FieldValidation, creating: false);
        var subresource = path.Subresource ?? "";
        var owners = appliedOwners ?? stored.Owners.Clone();
        if (appliedOwners is null)
        {
            owners.RecordUpdate(options.FieldManager, subresource, path.ApiVersion, before, updated, Schema(type), ManagedFields.Scope(subresource, type.HasStatusSubresource), Now());
        }

        var beforeBare = WithoutManagedFields(before);
        if (JsonNode.DeepEquals(beforeBare, updated) && SameOwners(stored.Owners, owners))
        {
            return new WriteResult(Output(before, path), false, warnings); // a no-op write changes nothing, not even the resourceVersion
        }

        if (type.HasGeneration && SpecChanged(type, beforeBare, updated))
        {
            newMeta["generation"] = (oldMeta["generation"] is { } generation ? long.Parse(generation.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : 0) + 1;
        }

        var crdType = DefineResource(type, updated, before);
        WithManagedFields(updated, owners);
        if (options.DryRun)
        {
            return new WriteResult(Output(updated, path), false, warnings);
        }

        stored.Object = updated;
        stored.Owners = owners;
        Commit(key, "MODIFIED", before, stored);
        if (crdType is not null)
        {
            Catalog.Put(crdType);
        }

        if (newMeta["deletionTimestamp"] is not null && Strings(newMeta["finalizers"]).Count == 0)
        {
            RemoveLocked(key, PropagationBackground);
        }

        return new WriteResult(Output(updated, path), false, warnings);
    }

    private static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }

    // Ownership is the same when only the timestamps differ (kube-apiserver does not write timestamp-only changes).
    private static bool SameOwners(ManagedFields a, ManagedFields b)
    {
        static string Key(ManagedFields m) => string.Join("|", m.Entries.Select(e => $"{e.Manager}/{e.Operation}/{e.Subresource}:{string.Join(",", e.Fields.Order(StringComparer.Ordinal))}"));
        return Key(a) == Key(b);
    }

    // A CRD write (re)defines its resource type and gets the status a healthy server reports.
    private static ResourceType? DefineResource(ResourceType type, JsonObject obj, JsonObject? before)
    {
        if (type is not { IsCustom: false, Kind: "CustomResourceDefinition" })
        {
            return null;
        }

        var defined = CustomResourceDefinitions.ToResourceType(obj);
        obj["status"] = CustomResourceDefinitions.Status(obj, before?["status"]);
        return defined;
    }

    private static SchemaNode Schema(ResourceType type) => new(type.Schema);

    // Main endpoint ignores .status when /status is separate; /status ignores everything but .status.
    private static JsonObject Separate(ResourceType type, FakeApiPath path, JsonObject current, JsonObject incoming)
    {
        if (path.Subresource == "status")
        {
            if (!type.HasStatusSubresource)
            {
                throw FakeApiError.NotFound(type, path.Name + "/status");
            }

            var result = (JsonObject)current.DeepClone();
            if (incoming["status"] is { } status)
            {
                result["status"] = status.DeepClone();
            }
            else
            {
                result.Remove("status");
            }

            return result;
        }

        if (path.Subresource is not null)
        {
            throw FakeApiError.NotFound(type, path.Name + "/" + path.Subresource);
        }

        var updated = (JsonObject)incoming.DeepClone();
        if (type.HasStatusSubresource && type.Kind != "CustomResourceDefinition")
        {
            if (current["status"] is { } currentStatus)
            {
                updated["status"] = currentStatus.DeepClone();
            }
            else
            {
                updated.Remove("status");
            }
        }

        return updated;
    }

    private static bool SpecChanged(ResourceType type, JsonObject before, JsonObject after)
    {
        static JsonObject Strip(JsonObject obj, bool dropStatus)
        {
            var copy = (JsonObject)obj.DeepClone();
            copy.Remove("metadata");
            if (dropStatus)
            {
                copy.Remove("status");
            }

            return copy;
        }

        return !JsonNode.DeepEquals(Strip(before, type.HasStatusSubresource), Strip(after, type.HasStatusSubresource));
    }

    private static void CheckNamespace(FakeApiPath path, JsonObject metadata)
    {
        var bodyNamespace = metadata["namespace"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(bodyNamespace) && path.Namespace is not null && bodyNamespace != path.Namespace)
        {
            throw FakeApiError.BadRequest($"the namespace of the provided object ({bodyNamespace}) does not match the namespace sent on the request ({path.Namespace})");
        }
    }

    // Namespaced objects are created only in a namespace that exists and is not being deleted.
    private void RequireNamespace(ResourceType type, FakeApiPath path, string name)
    {
        if (!type.Namespaced || path.Namespace is null || !RequireNamespaces)
        {
            return;
        }

        var namespaces = Catalog.Get("", "v1", "namespaces");
        if (!_objects.TryGetValue(new FakeObjectKey("", "namespaces", "", path.Namespace), out var ns))
        {
            throw FakeApiError.NotFound(namespaces, path.Namespace);
        }

        if (ns.Object["metadata"]?["deletionTimestamp"] is not null)
        {
            throw FakeApiError.Forbidden(type, name, $"unable to create new content in namespace {path.Namespace} because it is being terminated");
        }
    }

    /// <summary>When set (the default), namespaced objects can only be created in an existing namespace.</summary>
    public bool RequireNamespaces { get; set; } = true;
}
