using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Wavelet.Testing.Kubernetes;

/// <summary>
/// The state and semantics of the fake API server: objects, resourceVersions, history for watches, managed fields for
/// apply, finalizers and owner-reference garbage collection. Everything runs under one lock.
/// </summary>
internal sealed partial class FakeKubernetesStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(string, string), FakeResourceInfo> _resources = [];
    private readonly Dictionary<FakeObjectKey, StoredObject> _objects = [];
    private readonly List<HistoryEntry> _history = [];
    private readonly List<FakeWatcher> _watchers = [];
    private long _resourceVersion = 1000;
    private long _compactedVersion;

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>When set, a watch from an expired resourceVersion gets HTTP 410 instead of an ERROR event in a 200 stream.</summary>
    public bool ExpiredWatchAsHttpGone { get; set; }

    public long CurrentResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public void Register(FakeResourceInfo info)
    {
        lock (_gate)
        {
            _resources[(info.Group, info.Resource)] = info;
        }
    }

    public FakeResourceInfo Info(string group, string resource)
    {
        lock (_gate)
        {
            return InfoLocked(group, resource);
        }
    }

    public JsonObject Get(FakeApiPath path)
    {
        lock (_gate)
        {
            var info = InfoLocked(path.Group, path.Resource);
            var stored = Find(path, info);
            if (path.Subresource is not null and not "status")
            {
                throw FakeApiError.NotFound(info, path.Name + "/" + path.Subresource);
            }

            return Output(stored.Object, path);
        }
    }

    public JsonObject? TryGet(FakeObjectKey key)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(key, out var stored) ? (JsonObject)stored.Object.DeepClone() : null;
        }
    }

    public JsonObject List(FakeApiPath path, string? labelSelector, string? fieldSelector, int? limit, string? continueToken)
    {
        lock (_gate)
        {
            var info = InfoLocked(path.Group, path.Resource);
            var listVersion = _resourceVersion;
            string? after = null;
            if (!string.IsNullOrEmpty(continueToken))
            {
                (listVersion, after) = DecodeContinue(continueToken);
                if (listVersion < _compactedVersion)
                {
                    throw new FakeApiError(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                }
            }

            LabelSelector selector;
            try
            {
                selector = LabelSelector.Parse(labelSelector);
            }
            catch (FormatException ex)
            {
                throw FakeApiError.BadRequest($"unable to parse requirement: {ex.Message}");
            }

            try
            {
                LabelSelector.FieldsMatch(fieldSelector, new JsonObject());
            }
            catch (FormatException ex)
            {
                throw FakeApiError.BadRequest($"unable to parse field selector: {ex.Message}");
            }

            var matching = _objects
                .Where(pair => pair.Key.Group == path.Group && pair.Key.Resource == path.Resource && (path.Namespace is null || pair.Key.Namespace == path.Namespace))
                .Where(pair => selector.Matches(pair.Value.Object) && LabelSelector.FieldsMatch(fieldSelector, pair.Value.Object))
                .Select(pair => (Sort: pair.Key.Namespace + "/" + pair.Key.Name, pair.Value.Object))
                .OrderBy(item => item.Sort, StringComparer.Ordinal)
                .Where(item => after is null || string.CompareOrdinal(item.Sort, after) > 0)
                .ToList();

            var page = limit is > 0 ? matching.Take(limit.Value).ToList() : matching;
            var items = new JsonArray();
            foreach (var item in page)
            {
                var output = Output(item.Object, path);
                if (!info.IsCustom)
                {
                    // like the real API server, items of built-in lists carry no apiVersion/kind
                    output.Remove("apiVersion");
                    output.Remove("kind");
                }

                items.Add(output);
            }

            var metadata = new JsonObject { ["resourceVersion"] = Text(listVersion) };
            if (page.Count < matching.Count)
            {
                metadata["continue"] = EncodeContinue(listVersion, page[^1].Sort);
                metadata["remainingItemCount"] = matching.Count - page.Count;
            }

            return new JsonObject
            {
                ["apiVersion"] = path.ApiVersion,
                ["kind"] = (info.Kind.Length > 0 ? info.Kind : "Unknown") + "List",
                ["metadata"] = metadata,
                ["items"] = items,
            };
        }
    }

    public JsonObject Create(FakeApiPath path, JsonObject body)
    {
        lock (_gate)
        {
            var info = InfoLocked(path.Group, path.Resource);
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
                    throw FakeApiError.Invalid(info, "", "metadata.name", "Required value: name or generateName is required");
                }

                name = prefix + Guid.NewGuid().ToString("N")[..5];
                metadata["name"] = name;
            }

            CheckNamespace(path, metadata);
            var key = Key(path, name);
            if (_objects.ContainsKey(key))
            {
                throw FakeApiError.AlreadyExists(info, name);
            }

            LearnKind(info, body);
            return CreateLocked(key, info, path, body);
        }
    }

    public JsonObject Replace(FakeApiPath path, JsonObject body)
    {
        lock (_gate)
        {
            var info = InfoLocked(path.Group, path.Resource);
            var stored = Find(path, info);
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
                if (info.IsCustom)
                {
                    throw FakeApiError.Invalid(info, path.Name!, "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update");
                }
            }
            else if (sentVersion != stored.Object["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                throw FakeApiError.Conflict(info, path.Name!, "the object has been modified; please apply your changes to the latest version and try again");
            }

            var updated = Separate(info, path, stored.Object, body);
            return UpdateLocked(Key(path, path.Name!), info, path, stored, updated);
        }
    }

    public JsonObject MergePatch(FakeApiPath path, JsonObject patch)
    {
        lock (_gate)
        {
            var info = InfoLocked(path.Group, path.Resource);
            var stored = Find(path, info);
            var sentVersion = patch["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(sentVersion) && sentVersion != stored.Object["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                throw FakeApiError.Conflict(info, path.Name!, "the object has been modified; please apply your changes to the latest version and try again");
            }

            var patched = (JsonObject)JsonTools.MergePatch(stored.Object, patch)!;
            var updated = Separate(info, path, stored.Object, patched);
            return UpdateLocked(Key(path, path.Name!), info, path, stored, updated);
        }
    }

    public (JsonObject Object, bool Created) Apply(FakeApiPath path, JsonObject intent, string fieldManager, bool force)
    {
        lock (_gate)
        {
            var info = InfoLocked(path.Group, path.Resource);
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
            LearnKind(info, intent);
            var key = Key(path, path.Name!);
            var onStatus = path.Subresource == "status";
            if ((onStatus && !info.HasStatusSubresource) || path.Subresource is not null and not "status")
            {
                throw FakeApiError.NotFound(info, path.Name + "/" + path.Subresource);
            }

            Func<string, bool> include = onStatus ? k => k == "status" : info.HasStatusSubresource ? k => k != "status" : _ => true;
            var leaves = JsonTools.Leaves(intent, include);
            var managerKey = fieldManager + "\u001e" + (onStatus ? "status" : "");

            if (!_objects.TryGetValue(key, out var stored))
            {
                if (onStatus)
                {
                    throw FakeApiError.NotFound(info, path.Name!);
                }

                var fresh = new JsonObject { ["apiVersion"] = intent["apiVersion"]!.DeepClone(), ["kind"] = intent["kind"]!.DeepClone(), ["metadata"] = new JsonObject { ["name"] = path.Name } };
                foreach (var leaf in leaves)
                {
                    JsonTools.Set(fresh, leaf, JsonTools.Get(intent, leaf));
                }

                var created = CreateLocked(key, info, path, fresh);
                _objects[key].Managers[managerKey] = leaves.Select(JsonTools.Key).ToHashSet(StringComparer.Ordinal);
                return (created, true);
            }

            var sentVersion = metadata["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(sentVersion) && sentVersion != stored.Object["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                throw FakeApiError.Conflict(info, path.Name!, "the object has been modified; please apply your changes to the latest version and try again");
            }

            var wanted = leaves.Select(JsonTools.Key).ToHashSet(StringComparer.Ordinal);
            var others = stored.Managers.Where(m => m.Key != managerKey && m.Key.EndsWith("\u001e" + (onStatus ? "status" : ""), StringComparison.Ordinal)).ToList();
            var conflicts = new JsonArray();
            foreach (var leaf in leaves)
            {
                var leafKey = JsonTools.Key(leaf);
                foreach (var (otherKey, owned) in others)
                {
                    if (owned.Contains(leafKey) && !JsonNode.DeepEquals(JsonTools.Get(stored.Object, leaf), JsonTools.Get(intent, leaf)))
                    {
                        var otherName = otherKey[..otherKey.IndexOf('\u001e', StringComparison.Ordinal)];
                        conflicts.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with \"{otherName}\"", ["field"] = JsonTools.Display(leaf) });
                    }
                }
            }

            if (conflicts.Count > 0 && !force)
            {
                throw new FakeApiError(409, "Conflict", $"Apply failed with {conflicts.Count} conflict(s): {string.Join("; ", conflicts.Select(c => $"{c!["message"]}: {c["field"]}"))}", FakeApiError.DetailsFor(info, path.Name!, conflicts));
            }

            foreach (var (_, owned) in others)
            {
                owned.ExceptWith(wanted);
            }

            var updated = (JsonObject)stored.Object.DeepClone();
            var previous = stored.Managers.TryGetValue(managerKey, out var before) ? before : [];
            foreach (var dropped in previous.Except(wanted))
            {
                if (!others.Any(o => o.Value.Contains(dropped)))
                {
                    JsonTools.Remove(updated, JsonTools.FromKey(dropped));
                }
            }

            foreach (var leaf in leaves)
            {
                JsonTools.Set(updated, leaf, JsonTools.Get(intent, leaf));
            }

            stored.Managers[managerKey] = wanted;
            return (UpdateLocked(key, info, path, stored, updated), false);
        }
    }

    public JsonObject Delete(FakeApiPath path, string? propagationPolicy, string? preconditionUid, string? preconditionVersion)
    {
        lock (_gate)
        {
            var info = InfoLocked(path.Group, path.Resource);
            var stored = Find(path, info);
            var metadata = stored.Object["metadata"]!;
            if (preconditionUid is not null && preconditionUid != metadata["uid"]?.GetValue<string>())
            {
                throw FakeApiError.Conflict(info, path.Name!, $"Precondition failed: UID in precondition: {preconditionUid}, UID in object meta: {metadata["uid"]}");
            }

            if (preconditionVersion is not null && preconditionVersion != metadata["resourceVersion"]?.GetValue<string>())
            {
                throw FakeApiError.Conflict(info, path.Name!, $"Precondition failed: ResourceVersion in precondition: {preconditionVersion}, ResourceVersion in object meta: {metadata["resourceVersion"]}");
            }

            return DeleteLocked(Key(path, path.Name!), propagationPolicy);
        }
    }

    /// <summary>Direct write for tests: stores the object as given (assigning uid, creationTimestamp, resourceVersion) and notifies watchers.</summary>
    public JsonObject Put(string group, string resource, JsonObject obj)
    {
        lock (_gate)
        {
            var info = InfoLocked(group, resource);
            LearnKind(info, obj);
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
                if (info.HasGeneration)
                {
                    copyMetadata["generation"] ??= 1;
                }

                stored = new StoredObject(copy);
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

    public FakeWatcher? OpenWatch(FakeApiPath path, string? resourceVersion, string? labelSelector, string? fieldSelector, bool bookmarks, out FakeApiError? gone)
    {
        lock (_gate)
        {
            gone = null;
            var info = InfoLocked(path.Group, path.Resource);
            var watcher = new FakeWatcher(path, info, labelSelector, fieldSelector, bookmarks);
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var (key, stored) in _objects.OrderBy(p => p.Key.Namespace + "/" + p.Key.Name, StringComparer.Ordinal))
                {
                    if (watcher.Matches(key, stored.Object))
                    {
                        watcher.Send("ADDED", stored.Object);
                    }
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw FakeApiError.BadRequest($"invalid resourceVersion '{resourceVersion}'");
                }

                if (from < _compactedVersion)
                {
                    var message = $"too old resource version: {from} ({_compactedVersion})";
                    if (ExpiredWatchAsHttpGone)
                    {
                        gone = new FakeApiError(410, "Gone", message);
                        return null;
                    }

                    watcher.Send("ERROR", FakeApiError.Status(410, "Expired", message));
                    watcher.Close();
                    return watcher;
                }

                foreach (var entry in _history.Where(h => h.ResourceVersion > from))
                {
                    watcher.Offer(entry.Key, entry.Type, entry.Before, entry.After);
                }
            }

            _watchers.Add(watcher);
            return watcher;
        }
    }

    public void CloseWatch(FakeWatcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
            watcher.Close();
        }
    }

    public void CutWatches()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Close();
            }

            _watchers.Clear();
        }
    }

    public int OpenWatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    public void SendBookmarks()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.SendBookmark(_resourceVersion);
            }
        }
    }

    public void ExpireHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _resourceVersion++; // every version handed out so far is now older than the compaction point
            _compactedVersion = _resourceVersion;
        }
    }

    private JsonObject CreateLocked(FakeObjectKey key, FakeResourceInfo info, FakeApiPath path, JsonObject body)
    {
        var obj = (JsonObject)body.DeepClone();
        var metadata = (JsonObject)obj["metadata"]!;
        if (key.Namespace.Length > 0)
        {
            metadata["namespace"] = key.Namespace;
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Now();
        metadata.Remove("deletionTimestamp");
        metadata.Remove("managedFields");
        metadata.Remove("resourceVersion");
        if (info.HasGeneration)
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }

        if (info.HasStatusSubresource && path.Group != "apiextensions.k8s.io")
        {
            obj.Remove("status");
        }

        obj["apiVersion"] ??= path.ApiVersion;
        if (info.Kind.Length > 0)
        {
            obj["kind"] ??= info.Kind;
        }

        if (path.Resource == "customresourcedefinitions" && path.Group == "apiextensions.k8s.io")
        {
            RegisterDefinition(obj);
        }

        var stored = new StoredObject(obj);
        _objects[key] = stored;
        Commit(key, "ADDED", null, stored);
        return Output(stored.Object, path);
    }

    private JsonObject UpdateLocked(FakeObjectKey key, FakeResourceInfo info, FakeApiPath path, StoredObject stored, JsonObject updated)
    {
        var before = stored.Object;
        var oldMeta = (JsonObject)before["metadata"]!;
        var newMeta = updated["metadata"] as JsonObject ?? new JsonObject();
        updated["metadata"] = newMeta;

        // server-owned metadata cannot be changed by clients
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "generation", "name", "namespace" })
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
        updated["apiVersion"] ??= before["apiVersion"]?.DeepClone();
        updated["kind"] ??= before["kind"]?.DeepClone();

        if (oldMeta["deletionTimestamp"] is not null)
        {
            var oldFinalizers = Strings(oldMeta["finalizers"]);
            var added = Strings(newMeta["finalizers"]).Except(oldFinalizers).ToList();
            if (added.Count > 0)
            {
                throw FakeApiError.Invalid(info, key.Name, "metadata.finalizers", $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers [{string.Join(" ", added)}]");
            }
        }

        if (JsonNode.DeepEquals(before, updated))
        {
            return Output(before, path); // a no-op write changes nothing, not even the resourceVersion
        }

        if (info.HasGeneration && SpecChanged(info, before, updated))
        {
            newMeta["generation"] = LongOf(oldMeta["generation"]) + 1;
        }

        stored.Object = updated;
        Commit(key, "MODIFIED", before, stored);

        if (newMeta["deletionTimestamp"] is not null && Strings(newMeta["finalizers"]).Count == 0)
        {
            RemoveLocked(key, PropagationBackground);
        }

        return Output(updated, path);
    }

    private const string PropagationBackground = "Background";

    private JsonObject DeleteLocked(FakeObjectKey key, string? propagationPolicy)
    {
        var stored = _objects[key];
        var metadata = (JsonObject)stored.Object["metadata"]!;
        if (Strings(metadata["finalizers"]).Count > 0)
        {
            if (metadata["deletionTimestamp"] is null)
            {
                var before = stored.Object;
                var updated = (JsonObject)before.DeepClone();
                updated["metadata"]!["deletionTimestamp"] = Now();
                updated["metadata"]!["deletionGracePeriodSeconds"] = 0;
                stored.Object = updated;
                Commit(key, "MODIFIED", before, stored);
            }

            return (JsonObject)stored.Object.DeepClone();
        }

        return RemoveLocked(key, propagationPolicy);
    }

    private JsonObject RemoveLocked(FakeObjectKey key, string? propagationPolicy)
    {
        var stored = _objects[key];
        _objects.Remove(key);
        var before = stored.Object;
        var last = (JsonObject)before.DeepClone();
        stored.Object = last;
        Commit(key, "DELETED", before, stored);
        CollectDependents(before["metadata"]?["uid"]?.GetValue<string>(), propagationPolicy);
        return (JsonObject)last.DeepClone();
    }

    private void CollectDependents(string? ownerUid, string? propagationPolicy)
    {
        if (ownerUid is null)
        {
            return;
        }

        var dependents = _objects.Where(pair => OwnerUids(pair.Value.Object).Contains(ownerUid)).Select(pair => pair.Key).ToList();
        foreach (var dependentKey in dependents)
        {
            if (!_objects.TryGetValue(dependentKey, out var dependent))
            {
                continue;
            }

            var remainingOwners = OwnerUids(dependent.Object).Where(uid => uid != ownerUid && _objects.Values.Any(o => o.Object["metadata"]?["uid"]?.GetValue<string>() == uid)).ToList();
            if (propagationPolicy == "Orphan" || remainingOwners.Count > 0)
            {
                var before = dependent.Object;
                var updated = (JsonObject)before.DeepClone();
                var refs = (JsonArray)updated["metadata"]!["ownerReferences"]!;
                foreach (var reference in refs.Where(r => r?["uid"]?.GetValue<string>() == ownerUid).ToList())
                {
                    refs.Remove(reference);
                }

                dependent.Object = updated;
                Commit(dependentKey, "MODIFIED", before, dependent);
            }
            else
            {
                DeleteLocked(dependentKey, PropagationBackground);
            }
        }
    }

    private void Commit(FakeObjectKey key, string type, JsonObject? before, StoredObject stored)
    {
        _resourceVersion++;
        stored.Object["metadata"]!["resourceVersion"] = Text(_resourceVersion);
        var after = (JsonObject)stored.Object.DeepClone();
        var beforeCopy = (JsonObject?)before?.DeepClone();
        _history.Add(new HistoryEntry(_resourceVersion, type, key, beforeCopy, after));
        foreach (var watcher in _watchers)
        {
            watcher.Offer(key, type, beforeCopy, after);
        }
    }

    // Main endpoint ignores .status when /status is separate; /status ignores everything but .status.
    private static JsonObject Separate(FakeResourceInfo info, FakeApiPath path, JsonObject current, JsonObject incoming)
    {
        if (path.Subresource == "status")
        {
            if (!info.HasStatusSubresource)
            {
                throw FakeApiError.NotFound(info, path.Name + "/status");
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
            throw FakeApiError.NotFound(info, path.Name + "/" + path.Subresource);
        }

        var updated = (JsonObject)incoming.DeepClone();
        if (info.HasStatusSubresource)
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

    private static bool SpecChanged(FakeResourceInfo info, JsonObject before, JsonObject after)
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

        return !JsonNode.DeepEquals(Strip(before, info.HasStatusSubresource), Strip(after, info.HasStatusSubresource));
    }

    private void RegisterDefinition(JsonObject crd)
    {
        var spec = crd["spec"];
        var group = spec?["group"]?.GetValue<string>();
        var plural = spec?["names"]?["plural"]?.GetValue<string>();
        var kind = spec?["names"]?["kind"]?.GetValue<string>();
        if (group is null || plural is null || kind is null)
        {
            throw FakeApiError.Invalid(FakeResourceInfo.Default("apiextensions.k8s.io", "customresourcedefinitions"), crd["metadata"]?["name"]?.GetValue<string>() ?? "", "spec", "Required value: group, names.plural and names.kind are required");
        }

        var hasStatus = (spec!["versions"] as JsonArray)?.Any(v => v?["subresources"]?["status"] is not null) ?? false;
        _resources[(group, plural)] = new FakeResourceInfo(group, plural, kind, true, hasStatus);
        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray
            {
                new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
                new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" },
            },
            ["acceptedNames"] = spec["names"]!.DeepClone(),
        };
    }

    private FakeResourceInfo InfoLocked(string group, string resource)
    {
        if (!_resources.TryGetValue((group, resource), out var info))
        {
            info = FakeResourceInfo.Default(group, resource);
            _resources[(group, resource)] = info;
        }

        return info;
    }

    private void LearnKind(FakeResourceInfo info, JsonObject body)
    {
        if (info.Kind.Length == 0 && body["kind"]?.GetValue<string>() is { Length: > 0 } kind)
        {
            _resources[(info.Group, info.Resource)] = info with { Kind = kind };
        }
    }

    private StoredObject Find(FakeApiPath path, FakeResourceInfo info)
    {
        if (path.Name is null)
        {
            throw new FakeApiError(405, "MethodNotAllowed", "this request needs an object name");
        }

        return _objects.TryGetValue(Key(path, path.Name), out var stored) ? stored : throw FakeApiError.NotFound(info, path.Name);
    }

    private static FakeObjectKey Key(FakeApiPath path, string name) => new(path.Group, path.Resource, path.Namespace ?? "", name);

    private static void CheckNamespace(FakeApiPath path, JsonObject metadata)
    {
        var bodyNamespace = metadata["namespace"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(bodyNamespace) && path.Namespace is not null && bodyNamespace != path.Namespace)
        {
            throw FakeApiError.BadRequest($"the namespace of the provided object ({bodyNamespace}) does not match the namespace sent on the request ({path.Namespace})");
        }
    }

    private static JsonObject Output(JsonObject obj, FakeApiPath path)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = path.ApiVersion;
        return copy;
    }

    private static List<string> OwnerUids(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.Select(r => r?["uid"]?.GetValue<string>()).OfType<string>().ToList() ?? [];

    private static long LongOf(JsonNode? node) =>
        node is null ? 0 : long.Parse(node.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray)?.Select(n => n?.GetValue<string>()).OfType<string>().ToList() ?? [];

    private string Now() => Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string EncodeContinue(long version, string after) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{version}|{after}"));

    private static (long Version, string After) DecodeContinue(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return (long.Parse(text[..bar], CultureInfo.InvariantCulture), text[(bar + 1)..]);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException)
        {
            throw FakeApiError.BadRequest("invalid continue token");
        }
    }

    private sealed class StoredObject(JsonObject obj)
    {
        public JsonObject Object { get; set; } = obj;

        /// <summary>Apply managers ("manager\u001esubresource") → the leaf paths they own.</summary>
        public Dictionary<string, HashSet<string>> Managers { get; } = new(StringComparer.Ordinal);
    }

    private sealed record HistoryEntry(long ResourceVersion, string Type, FakeObjectKey Key, JsonObject? Before, JsonObject After);
}
