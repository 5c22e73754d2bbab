namespace Wavelet.Testing.Kubernetes.Patching;

/// <summary>
/// Strategic merge patch for built-in kinds: maps merge as in a JSON merge patch; lists whose schema says
/// <c>x-kubernetes-patch-strategy: merge</c> merge by <c>x-kubernetes-patch-merge-key</c> (containers and env by name,
/// container ports by containerPort, ...) or, for scalars, as a union; other lists are replaced. Directives:
/// <c>$patch: replace|delete|merge</c>, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/&lt;field&gt;</c> and
/// <c>$setElementOrder/&lt;field&gt;</c> (orders the merged list as given).
/// </summary>
internal static class StrategicMergePatch
{
    private const string Directive = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";
    private const string SetElementOrder = "$setElementOrder/";

    public static JsonObject Apply(JsonObject target, JsonObject patch, SchemaNode schema) =>
        MergeObject((JsonObject)target.DeepClone(), patch, schema) ?? new JsonObject();

    private static JsonObject? MergeObject(JsonObject target, JsonObject patch, SchemaNode schema)
    {
        switch (patch[Directive]?.GetValue<string>())
        {
            case "delete":
                return null;
            case "replace":
                var replacement = (JsonObject)patch.DeepClone();
                replacement.Remove(Directive);
                return replacement;
        }

        if (patch[RetainKeys] is JsonArray retain)
        {
            var keep = retain.Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key is Directive or RetainKeys || key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveList.Length..];
                if (target[field] is JsonArray list && value is JsonArray doomed)
                {
                    foreach (var item in list.Where(i => doomed.Any(d => JsonNode.DeepEquals(d, i))).ToList())
                    {
                        list.Remove(item);
                    }
                }

                continue;
            }

            if (value is null)
            {
                target.Remove(key);
                continue;
            }

            var child = schema.Property(key);
            var merged = value switch
            {
                JsonObject patchObject when target[key] is JsonObject existing => MergeObject((JsonObject)existing.DeepClone(), patchObject, child),
                JsonObject patchObject => MergeObject(new JsonObject(), patchObject, child),
                JsonArray patchList => MergeList(target[key] as JsonArray, patchList, child),
                _ => value.DeepClone(),
            };
            if (merged is null)
            {
                target.Remove(key);
            }
            else
            {
                target[key] = merged;
            }

            if (patch[SetElementOrder + key] is JsonArray order && target[key] is JsonArray result)
            {
                target[key] = Order(result, order, child.PatchMergeKey);
            }
        }

        return target;
    }

    private static JsonArray MergeList(JsonArray? target, JsonArray patch, SchemaNode schema)
    {
        if (patch.Any(i => i is JsonObject o && o[Directive]?.GetValue<string>() == "replace"))
        {
            return new JsonArray([.. patch.Where(i => !(i is JsonObject o && o[Directive] is not null)).Select(i => i?.DeepClone())]);
        }

        if (!schema.PatchMerges || target is null)
        {
            return new JsonArray([.. patch.Where(i => !(i is JsonObject o && o[Directive]?.GetValue<string>() == "delete")).Select(i => i?.DeepClone())]);
        }

        var result = (JsonArray)target.DeepClone();
        var key = schema.PatchMergeKey;
        if (key is null)
        {
            foreach (var item in patch.Where(i => !result.Any(r => JsonNode.DeepEquals(r, i))))
            {
                result.Add(item?.DeepClone());
            }

            return result;
        }

        foreach (var item in patch.OfType<JsonObject>())
        {
            var match = result.OfType<JsonObject>().FirstOrDefault(r => JsonNode.DeepEquals(r[key], item[key]));
            if (item[Directive]?.GetValue<string>() == "delete")
            {
                if (match is not null)
                {
                    result.Remove(match);
                }

                continue;
            }

            if (match is null)
            {
                result.Add(MergeObject(new JsonObject(), item, schema.Items));
            }
            else
            {
                var index = result.IndexOf(match);
                result[index] = MergeObject((JsonObject)match.DeepClone(), item, schema.Items);
            }
        }

        return result;
    }

    private static JsonArray Order(JsonArray list, JsonArray order, string? key)
    {
        int Rank(JsonNode? item)
        {
            for (var i = 0; i < order.Count; i++)
            {
                var wanted = key is null ? order[i] : order[i]?[key];
                var actual = key is null ? item : item?[key];
                if (JsonNode.DeepEquals(wanted, actual))
                {
                    return i;
                }
            }

            return order.Count;
        }

        return new JsonArray([.. list.Select((item, index) => (item, index)).OrderBy(p => Rank(p.item)).ThenBy(p => p.index).Select(p => p.item?.DeepClone())]);
    }
}
