using Wavelet.Testing.Kubernetes.FieldManagement;

namespace Wavelet.Testing.Kubernetes.Store;

/// <summary>
/// The state of the fake API server: objects, the resourceVersion counter, the change history watches replay, and the
/// open watches. Everything runs under one lock. Reads and watches live here; writes, admission and deletion in the
/// other parts of this class.
/// </summary>
internal sealed partial class FakeKubernetesStore
{
    private readonly object _gate = new();
    private readonly Dictionary<FakeObjectKey, StoredObject> _objects = [];
    private readonly List<HistoryEntry> _history = [];
    private readonly List<FakeWatcher> _watchers = [];
    private long _resourceVersion = 1000;
    private long _compactedVersion;

    public ResourceCatalog Catalog { get; } = new();

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

    public ResourceType Type(FakeApiPath path) => Catalog.Get(path.Group, path.Version, path.Resource);

    public JsonObject Get(FakeApiPath path)
    {
        lock (_gate)
        {
            var type = Type(path);
            var stored = Find(path, type);
            if (path.Subresource == "scale" && type.HasScaleSubresource)
            {
                return Scale(stored.Object);
            }

            if (path.Subresource is not null and not "status")
            {
                throw FakeApiError.NotFound(type, path.Name + "/" + path.Subresource);
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

    public ListResult List(FakeApiPath path, ListOptions options)
    {
        lock (_gate)
        {
            var type = Type(path);
            var objects = Snapshot(options);
            var listVersion = _resourceVersion;
            string? after = null;
            if (!string.IsNullOrEmpty(options.Continue))
            {
                (listVersion, after) = DecodeContinue(options.Continue);
                if (listVersion < _compactedVersion)
                {
                    throw new FakeApiError(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                }
            }
            else if (options.ResourceVersionMatch == "Exact")
            {
                listVersion = long.Parse(options.ResourceVersion!, CultureInfo.InvariantCulture);
            }

            LabelSelector labels;
            FieldSelector fields;
            try
            {
                labels = LabelSelector.Parse(options.LabelSelector);
                fields = FieldSelector.Parse(options.FieldSelector);
            }
            catch (FormatException ex)
            {
                throw FakeApiError.BadRequest($"unable to parse requirement: {ex.Message}");
            }

            var matching = objects
                .Where(pair => pair.Key.Group == path.Group && pair.Key.Resource == path.Resource && (path.Namespace is null || pair.Key.Namespace == path.Namespace))
                .Where(pair => labels.Matches(pair.Value) && fields.Matches(pair.Value))
                .Select(pair => (Sort: pair.Key.Namespace + "/" + pair.Key.Name, Object: pair.Value))
                .OrderBy(item => item.Sort, StringComparer.Ordinal)
                .Where(item => after is null || string.CompareOrdinal(item.Sort, after) > 0)
                .ToList();

            var page = options.Limit is > 0 ? matching.Take(options.Limit.Value).ToList() : matching;
            var items = page.Select(item => Output(item.Object, path)).ToList();
            var more = page.Count < matching.Count;
            return new ListResult(
                type, items, Text(listVersion), more ? EncodeContinue(listVersion, page[^1].Sort) : null, more ? matching.Count - page.Count : null);
        }
    }

    // The objects as of the requested resourceVersion: now, unless resourceVersionMatch=Exact asks for an older state,
    // which is rebuilt by rolling the history back.
    private Dictionary<FakeObjectKey, JsonObject> Snapshot(ListOptions options)
    {
        var current = _objects.ToDictionary(p => p.Key, p => p.Value.Object);
        var match = options.ResourceVersionMatch;
        if (string.IsNullOrEmpty(match))
        {
            return current;
        }

        if (string.IsNullOrEmpty(options.ResourceVersion))
        {
            throw FakeApiError.Invalid(ListType, "", "resourceVersionMatch", "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
        }

        if (!long.TryParse(options.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw FakeApiError.BadRequest($"invalid resourceVersion '{options.ResourceVersion}'");
        }

        switch (match)
        {
            case "NotOlderThan":
                return version > _resourceVersion
                    ? throw new FakeApiError(504, "Timeout", $"Too large resource version: {version}, current: {_resourceVersion}")
                    : current;
            case "Exact":
                if (version == 0)
                {
                    throw FakeApiError.Invalid(ListType, "", "resourceVersionMatch", "Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
                }

                if (version < _compactedVersion || (version < _resourceVersion && _history.Count > 0 && _history[0].ResourceVersion > version + 1))
                {
                    throw new FakeApiError(410, "Expired", $"too old resource version: {version} ({_compactedVersion})");
                }

                if (version > _resourceVersion)
                {
                    throw new FakeApiError(504, "Timeout", $"Too large resource version: {version}, current: {_resourceVersion}");
                }

                foreach (var entry in Enumerable.Reverse(_history).TakeWhile(h => h.ResourceVersion > version))
                {
                    if (entry.Before is null)
                    {
                        current.Remove(entry.Key);
                    }
                    else
                    {
                        current[entry.Key] = entry.Before;
                    }
                }

                return current;
            default:
                throw FakeApiError.Invalid(ListType, "", "resourceVersionMatch", $"Unsupported value: \"{match}\": supported values: \"Exact\", \"NotOlderThan\", \"\"");
        }
    }

    private static readonly ResourceType ListType = new("meta.k8s.io", "v1", "listoptions", "ListOptions", false, false, false);

    /// <summary>
    /// Opens a watch. Without a resourceVersion (or "0") the current objects come first as ADDED; with one, the changes
    /// after it. <paramref name="sendInitialEvents"/> is the watch-list form client-go uses (kubectl 1.35 included): the
    /// current objects as ADDED, then a BOOKMARK annotated k8s.io/initial-events-end, then the changes.
    /// </summary>
    public FakeWatcher? OpenWatch(FakeApiPath path, string? resourceVersion, string? labelSelector, string? fieldSelector, bool bookmarks, out FakeApiError? gone, bool sendInitialEvents = false)
    {
        lock (_gate)
        {
            gone = null;
            var type = Type(path);
            FakeWatcher watcher;
            try
            {
                watcher = new FakeWatcher(path, type, labelSelector, fieldSelector, bookmarks);
            }
            catch (FormatException ex)
            {
                throw FakeApiError.BadRequest($"unable to parse requirement: {ex.Message}");
            }

            if (sendInitialEvents || string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var (key, stored) in _objects.OrderBy(p => p.Key.Namespace + "/" + p.Key.Name, StringComparer.Ordinal))
                {
                    if (watcher.Matches(key, stored.Object))
                    {
                        watcher.Send("ADDED", Output(stored.Object, path));
                    }
                }

                if (sendInitialEvents)
                {
                    watcher.SendInitialEventsEnd(_resourceVersion);
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

    public void SendBookmark(FakeWatcher watcher)
    {
        lock (_gate)
        {
            watcher.SendBookmark(_resourceVersion);
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

    private StoredObject Find(FakeApiPath path, ResourceType type)
    {
        if (path.Name is null)
        {
            throw new FakeApiError(405, "MethodNotAllowed", "this request needs an object name");
        }

        return _objects.TryGetValue(Key(path, path.Name), out var stored) ? stored : throw FakeApiError.NotFound(type, path.Name);
    }

    private static FakeObjectKey Key(FakeApiPath path, string name) => new(path.Group, path.Resource, path.Namespace ?? "", name);

    /// <summary>An object as answered: with the apiVersion of the request path and its managed fields.</summary>
    private static JsonObject Output(JsonObject obj, FakeApiPath path)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = path.ApiVersion;
        return copy;
    }

    private static JsonObject WithManagedFields(JsonObject obj, ManagedFields owners)
    {
        var metadata = (JsonObject)obj["metadata"]!;
        if (owners.Entries.Count > 0)
        {
            metadata["managedFields"] = owners.ToJson();
        }
        else
        {
            metadata.Remove("managedFields");
        }

        return obj;
    }

    private string Now() => Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray)?.Select(n => n?.GetValue<string>()).OfType<string>().ToList() ?? [];

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
}
