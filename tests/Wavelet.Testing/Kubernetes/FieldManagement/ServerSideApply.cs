namespace Wavelet.Testing.Kubernetes.FieldManagement;

/// <summary>
/// Server-side apply of one manager's intent: a conflict for every field another manager owns with a different value
/// (unless forced, which takes the field over); fields the manager applied before and no longer sends are removed unless
/// someone else owns them; the intent is merged in (map lists by their keys, set lists as unions, other lists and scalars
/// replaced). Afterwards the manager owns exactly the fields of its intent.
/// </summary>
internal static class ServerSideApply
{
    public sealed record Conflict(string Manager, string ApiVersion, string Field);

    public sealed record Result(JsonObject Object, IReadOnlyList<Conflict> Conflicts);

    public static Result Apply(
        JsonObject live, JsonObject intent, ManagedFields owners, string manager, string subresource, string apiVersion,
        SchemaNode schema, Func<string, bool> scope, bool force, string now)
    {
        var wanted = FieldPaths.Of(intent, schema, scope);
        var conflicts = new List<Conflict>();
        foreach (var entry in owners.Entries.Where(e => e.Subresource == subresource && !(e.Manager == manager && e.Operation == "Apply")))
        {
            foreach (var field in entry.Fields.Where(wanted.Contains))
            {
                var current = FieldPaths.Get(live, field, out var present);
                var desired = FieldPaths.Get(intent, field, out _);
                if (present && !IsItem(field) && !JsonNode.DeepEquals(current, desired))
                {
                    conflicts.Add(new Conflict(entry.Manager, entry.ApiVersion, field));
                }
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            return new Result(live, conflicts);
        }

        foreach (var conflict in conflicts)
        {
            foreach (var entry in owners.Entries.Where(e => e.Manager == conflict.Manager && e.Subresource == subresource))
            {
                entry.Fields.Remove(conflict.Field);
            }
        }

        var result = (JsonObject)live.DeepClone();
        var previous = owners.Find(manager, "Apply", subresource)?.Fields ?? [];
        var others = owners.Entries.Where(e => e.Subresource == subresource && !(e.Manager == manager && e.Operation == "Apply")).SelectMany(e => e.Fields).ToHashSet(StringComparer.Ordinal);
        foreach (var dropped in previous.Except(wanted).OrderByDescending(f => f.Length))
        {
            if (!others.Any(o => FieldPaths.Within(o, dropped)) && !wanted.Any(w => FieldPaths.Within(w, dropped)))
            {
                FieldPaths.Remove(result, dropped);
                RemoveEmptyParents(result, dropped, others, wanted);
            }
        }

        foreach (var (name, value) in intent)
        {
            if (name is "apiVersion" or "kind" || !scope(name))
            {
                continue;
            }

            result[name] = name == "metadata" ? MergeMetadata(result["metadata"] as JsonObject, value as JsonObject, schema.Property("metadata")) : Merge(result[name], value, schema.Property(name));
        }

        owners.Set(new ManagedFields.Entry(manager, "Apply", subresource, apiVersion, now, wanted));
        return new Result(result, []);
    }

    private static bool IsItem(string field) => FieldPaths.Elements(field)[^1].StartsWith("k:", StringComparison.Ordinal);

    private static void RemoveEmptyParents(JsonObject root, string removed, HashSet<string> others, HashSet<string> wanted)
    {
        for (var parent = FieldPaths.Parent(removed); parent.Length > 0; parent = FieldPaths.Parent(parent))
        {
            if (FieldPaths.Get(root, parent, out _) is not JsonObject { Count: 0 } || others.Contains(parent) || wanted.Contains(parent) || IsItem(parent))
            {
                return;
            }

            FieldPaths.Remove(root, parent);
        }
    }

    private static JsonObject MergeMetadata(JsonObject? live, JsonObject? intent, SchemaNode schema)
    {
        var result = live?.DeepClone() as JsonObject ?? new JsonObject();
        foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
        {
            if (intent?[field] is { } value)
            {
                result[field] = Merge(result[field], value, schema.Property(field));
            }
        }

        return result;
    }

    private static JsonNode? Merge(JsonNode? live, JsonNode? intent, SchemaNode schema)
    {
        switch (intent)
        {
            case JsonObject intentObject when live is JsonObject liveObject:
                var merged = (JsonObject)liveObject.DeepClone();
                foreach (var (name, value) in intentObject)
                {
                    merged[name] = Merge(merged[name], value, schema.Property(name));
                }

                return merged;
            case JsonArray intentList when live is JsonArray liveList && schema.ListType == "map" && schema.MapKeys.Count > 0:
                var keys = schema.MapKeys;
                var items = (JsonArray)liveList.DeepClone();
                foreach (var item in intentList.OfType<JsonObject>())
                {
                    var key = FieldPaths.Key(item, keys);
                    var match = items.OfType<JsonObject>().FirstOrDefault(i => FieldPaths.Key(i, keys) == key);
                    if (match is null)
                    {
                        items.Add(item.DeepClone());
                    }
                    else
                    {
                        items[items.IndexOf(match)] = Merge(match, item, schema.Items);
                    }
                }

                return items;
            case JsonArray intentList when live is JsonArray liveList && schema.ListType == "set":
                var union = (JsonArray)liveList.DeepClone();
                foreach (var value in intentList.Where(v => !union.Any(u => JsonNode.DeepEquals(u, v))))
                {
                    union.Add(value?.DeepClone());
                }

                return union;
            default:
                return intent?.DeepClone();
        }
    }
}
