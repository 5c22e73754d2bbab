using System.Text.Json.Nodes;

namespace Wavelet.Testing.Kubernetes;

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

    public static FakeApiError NotFound(FakeResourceInfo info, string name) =>
        new(404, "NotFound", $"{info.QualifiedName} \"{name}\" not found", DetailsFor(info, name));

    public static FakeApiError AlreadyExists(FakeResourceInfo info, string name) =>
        new(409, "AlreadyExists", $"{info.QualifiedName} \"{name}\" already exists", DetailsFor(info, name));

    public static FakeApiError Conflict(FakeResourceInfo info, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {info.QualifiedName} \"{name}\": {why}", DetailsFor(info, name));

    public static FakeApiError Invalid(FakeResourceInfo info, string name, string field, string why) =>
        new(422, "Invalid", $"{info.Kind}.{info.Group} \"{name}\" is invalid: {field}: {why}", DetailsFor(info, name, new JsonArray
        {
            new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = why, ["field"] = field },
        }));

    public static FakeApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static JsonObject DetailsFor(FakeResourceInfo info, string name, JsonArray? causes = null)
    {
        var details = new JsonObject { ["name"] = name, ["group"] = info.Group, ["kind"] = info.Resource };
        if (causes is not null)
        {
            details["causes"] = causes;
        }

        return details;
    }
}
