namespace Wavelet.Testing.Kubernetes.FieldManagement;

/// <summary>
/// The field owners of one object (metadata.managedFields): one entry per manager, operation (Apply or Update) and
/// subresource. Updates (create, PUT, merge/strategic/JSON patch) give their manager the fields they changed and take
/// them from everyone else; apply managers own exactly what they last applied (see <see cref="ServerSideApply"/>).
/// </summary>
internal sealed class ManagedFields
{
    private readonly List<Entry> _entries = [];

    public IReadOnlyList<Entry> Entries => _entries;

    public ManagedFields Clone()
    {
        var copy = new ManagedFields();
        copy._entries.AddRange(_entries.Select(e => e with { Fields = new HashSet<string>(e.Fields, StringComparer.Ordinal) }));
        return copy;
    }

    /// <summary>Scope of a write: the main endpoint owns everything but .status when /status is separate; /status owns only .status.</summary>
    public static Func<string, bool> Scope(string subresource, bool hasStatusSubresource) =>
        subresource == "status" ? name => name == "status" : hasStatusSubresource ? name => name != "status" : _ => true;

    public void RecordUpdate(string manager, string subresource, string apiVersion, JsonObject? before, JsonObject after, SchemaNode schema, Func<string, bool> scope, string now)
    {
        var beforeFields = before is null ? [] : FieldPaths.Of(before, schema, scope);
        var afterFields = FieldPaths.Of(after, schema, scope);
        var changed = afterFields.Where(f => !beforeFields.Contains(f) || !JsonNode.DeepEquals(FieldPaths.Get(before, f, out _), FieldPaths.Get(after, f, out _))).ToList();
        var removed = beforeFields.Except(afterFields).ToList();
        foreach (var entry in _entries.Where(e => e.Subresource == subresource))
        {
            entry.Fields.ExceptWith(removed);
            if (!(entry.Manager == manager && entry.Operation == "Update"))
            {
                entry.Fields.ExceptWith(changed);
            }
        }

        if (changed.Count > 0)
        {
            var own = Find(manager, "Update", subresource);
            if (own is null)
            {
                own = new Entry(manager, "Update", subresource, apiVersion, now, new HashSet<string>(StringComparer.Ordinal));
                _entries.Add(own);
            }

            own.Fields.UnionWith(changed);
            Replace(own, own with { Time = now, ApiVersion = apiVersion });
        }

        _entries.RemoveAll(e => e.Fields.Count == 0);
    }

    public Entry? Find(string manager, string operation, string subresource) =>
        _entries.FirstOrDefault(e => e.Manager == manager && e.Operation == operation && e.Subresource == subresource);

    public void Set(Entry entry)
    {
        var existing = Find(entry.Manager, entry.Operation, entry.Subresource);
        if (existing is null)
        {
            _entries.Add(entry);
        }
        else
        {
            Replace(existing, entry);
        }

        _entries.RemoveAll(e => e.Fields.Count == 0);
    }

    public void RemoveFieldsEverywhere(IEnumerable<string> fields, string subresource)
    {
        var doomed = fields.ToList();
        foreach (var entry in _entries.Where(e => e.Subresource == subresource))
        {
            entry.Fields.RemoveWhere(f => doomed.Any(d => FieldPaths.Within(f, d)));
        }

        _entries.RemoveAll(e => e.Fields.Count == 0);
    }

    public JsonArray ToJson() => new([.. _entries.Select(ToJson)]);

    private static JsonNode ToJson(Entry e)
    {
        var json = new JsonObject
        {
            ["manager"] = e.Manager,
            ["operation"] = e.Operation,
            ["apiVersion"] = e.ApiVersion,
            ["time"] = e.Time,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = FieldPaths.ToFieldsV1(e.Fields),
        };
        if (e.Subresource.Length > 0)
        {
            json["subresource"] = e.Subresource;
        }

        return json;
    }

    private void Replace(Entry old, Entry replacement) => _entries[_entries.IndexOf(old)] = replacement;

    internal sealed record Entry(string Manager, string Operation, string Subresource, string ApiVersion, string Time, HashSet<string> Fields);
}
