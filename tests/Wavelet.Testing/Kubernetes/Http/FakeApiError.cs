namespace Wavelet.Testing.Kubernetes.Http;

/// <summary>A refusal of the fake API server, written as a Status object.</summary>
internal sealed class FakeApiError : Exception
{
    public FakeApiError(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public FakeApiError()
        : this(500, "InternalError", "internal error")
    {
    }

    public FakeApiError(string message)
        : this(500, "InternalError", message)
    {
    }

    public FakeApiError(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 500;
        Reason = "InternalError";
    }

    public int Code { get; }
    public string Reason { get; }
    public JsonObject? Details { get; }

    public JsonObject ToStatus() => Status(Code, Reason, Message, Details);

    public static JsonObject Status(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        return status;
    }

    public static FakeApiError NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedName} \"{name}\" not found", DetailsFor(type, name));

    public static FakeApiError AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists", DetailsFor(type, name));

    public static FakeApiError Conflict(ResourceType type, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": {why}", DetailsFor(type, name));

    public static FakeApiError Invalid(ResourceType type, string name, string field, string why) =>
        Invalid(type, name, [new FieldError(field, "FieldValueInvalid", why)]);

    /// <summary>422 Invalid listing every field error, worded as kube-apiserver words it.</summary>
    public static FakeApiError Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        var kind = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        var list = errors.Count == 1 ? errors[0].Message : $"[{string.Join(", ", errors.Select(e => e.Message))}]";
        var causes = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["reason"] = e.Reason, ["message"] = e.Detail, ["field"] = e.Field })]);
        return new FakeApiError(422, "Invalid", $"{kind} \"{name}\" is invalid: {list}", DetailsFor(type, name, causes));
    }

    public static FakeApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static FakeApiError Forbidden(ResourceType type, string name, string why) =>
        new(403, "Forbidden", $"{type.QualifiedName} \"{name}\" is forbidden: {why}", DetailsFor(type, name));

    public static JsonObject DetailsFor(ResourceType type, string name, JsonArray? causes = null)
    {
        var details = new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Resource };
        if (causes is not null)
        {
            details["causes"] = causes;
        }

        return details;
    }
}
