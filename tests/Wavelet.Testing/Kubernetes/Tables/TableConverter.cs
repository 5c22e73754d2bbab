namespace Wavelet.Testing.Kubernetes.Tables;

/// <summary>
/// Builds the meta.k8s.io/v1 Table kubectl asks for (<c>Accept: application/json;as=Table;g=meta.k8s.io;v=v1</c>):
/// Name, then the type's columns (additionalPrinterColumns of a CRD, or the built-in kind's), one row per object.
/// </summary>
internal static class TableConverter
{
    public static JsonObject Convert(ResourceType type, IReadOnlyList<JsonObject> objects, string? resourceVersion, string? continueToken, string includeObject, DateTimeOffset now)
    {
        var columns = new JsonArray();
        var nameless = type is { IsCustom: false, Kind: "Event" };
        if (!nameless)
        {
            columns.Add(Column("Name", "string", "Name must be unique within a namespace.", 0, "name"));
        }
        else
        {
            columns.Add(Column("Last Seen", "string", "Time since the event was last seen.", 0, ""));
        }

        foreach (var column in type.Columns)
        {
            columns.Add(Column(column.Name, column.Type == "date" && type.IsCustom ? "date" : column.Type, column.Description, column.Priority, column.Format));
        }

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray();
            cells.Add(nameless
                ? HumanDuration.Since(obj["lastTimestamp"]?.GetValue<string>() ?? obj["eventTime"]?.GetValue<string>() ?? obj["metadata"]?["creationTimestamp"]?.GetValue<string>(), now)
                : obj["metadata"]?["name"]?.GetValue<string>());
            var values = type.IsCustom ? type.Columns.Select(c => CustomCell(c, obj, now)) : BuiltInColumns.Cells(type.Kind, obj, now);
            foreach (var value in values)
            {
                cells.Add(value);
            }

            var row = new JsonObject { ["cells"] = cells };
            if (includeObject != "None")
            {
                row["object"] = includeObject == "Object" ? obj.DeepClone() : PartialMetadata(obj);
            }

            rows.Add(row);
        }

        var metadata = new JsonObject();
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    private static JsonObject Column(string name, string type, string description, int priority, string format) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["format"] = format,
        ["description"] = description,
        ["priority"] = priority,
    };

    private static JsonObject PartialMetadata(JsonObject obj) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    // As apiextensions-apiserver's table convertor: the first match; strings printed, numbers and booleans typed, dates as ages.
    private static JsonNode? CustomCell(PrinterColumn column, JsonObject obj, DateTimeOffset now)
    {
        IReadOnlyList<JsonNode?> results;
        try
        {
            results = SimpleJsonPath.Select(obj, column.JsonPath);
        }
        catch (FormatException)
        {
            return null;
        }

        if (results.Count == 0 || results[0] is not JsonValue value)
        {
            return results.Count > 0 && results[0] is { } structured && column.Type == "string" ? structured.ToJsonString() : null;
        }

        var text = value.TryGetValue<string>(out var s) ? s : null;
        return column.Type switch
        {
            "string" => text ?? value.ToJsonString(),
            "integer" => text is null && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create((long)n) : null,
            "number" => text is null && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : null,
            "boolean" => value.TryGetValue<bool>(out var b) ? JsonValue.Create(b) : null,
            "date" => text is null ? null : HumanDuration.Since(text, now),
            _ => null,
        };
    }
}
