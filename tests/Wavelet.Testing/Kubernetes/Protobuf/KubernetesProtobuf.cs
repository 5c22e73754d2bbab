using Google.Protobuf;

namespace Wavelet.Testing.Kubernetes.Protobuf;

/// <summary>
/// Reads the protobuf request bodies kubectl sends for its typed commands (<c>kubectl create namespace|configmap|secret|
/// serviceaccount</c> post, helm's deletes carry a protobuf DeleteOptions <c>application/vnd.kubernetes.protobuf</c> and do not fall back to JSON on 415). A body is the
/// "k8s\0" magic and a runtime.Unknown envelope (typeMeta, raw) whose raw bytes are the object; field numbers are those of
/// k8s.io/api generated.proto. Only the kinds above are known; others are refused with 415.
/// </summary>
internal static class KubernetesProtobuf
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    private static readonly Message OwnerReference = new(
    [
        new(1, "kind", Kind.String), new(3, "name", Kind.String), new(4, "uid", Kind.String), new(5, "apiVersion", Kind.String),
        new(6, "controller", Kind.Bool), new(7, "blockOwnerDeletion", Kind.Bool),
    ]);

    private static readonly Message ObjectMeta = new(
    [
        new(1, "name", Kind.String), new(2, "generateName", Kind.String), new(3, "namespace", Kind.String), new(5, "uid", Kind.String),
        new(6, "resourceVersion", Kind.String), new(7, "generation", Kind.Int64), new(8, "creationTimestamp", Kind.Time),
        new(9, "deletionTimestamp", Kind.Time), new(10, "deletionGracePeriodSeconds", Kind.Int64),
        new(11, "labels", Kind.MapString), new(12, "annotations", Kind.MapString),
        new(13, "ownerReferences", Kind.RepeatedMessage, OwnerReference), new(14, "finalizers", Kind.RepeatedString),
    ]);

    private static readonly Message Name = new([new(1, "name", Kind.String)]);

    private static readonly Message ObjectReference = new(
    [
        new(1, "kind", Kind.String), new(2, "namespace", Kind.String), new(3, "name", Kind.String), new(4, "uid", Kind.String),
        new(5, "apiVersion", Kind.String), new(6, "resourceVersion", Kind.String), new(7, "fieldPath", Kind.String),
    ]);

    private static readonly Message DeleteOptions = new(
    [
        new(1, "gracePeriodSeconds", Kind.Int64),
        new(2, "preconditions", Kind.Message, new([new(1, "uid", Kind.String), new(2, "resourceVersion", Kind.String)])),
        new(3, "orphanDependents", Kind.Bool), new(4, "propagationPolicy", Kind.String), new(5, "dryRun", Kind.RepeatedString),
    ]);

    private static readonly Dictionary<string, Message> Kinds = new(StringComparer.Ordinal)
    {
        // helm deletes with a protobuf DeleteOptions body
        ["v1/DeleteOptions"] = DeleteOptions,
        ["meta.k8s.io/v1/DeleteOptions"] = DeleteOptions,
        ["v1/Namespace"] = new(
        [
            new(1, "metadata", Kind.Message, ObjectMeta),
            new(2, "spec", Kind.Message, new([new(1, "finalizers", Kind.RepeatedString)])),
            new(3, "status", Kind.Message, new([new(1, "phase", Kind.String)])),
        ]),
        ["v1/ConfigMap"] = new(
        [
            new(1, "metadata", Kind.Message, ObjectMeta), new(2, "data", Kind.MapString), new(3, "binaryData", Kind.MapBytes), new(4, "immutable", Kind.Bool),
        ]),
        ["v1/Secret"] = new(
        [
            new(1, "metadata", Kind.Message, ObjectMeta), new(2, "data", Kind.MapBytes), new(3, "type", Kind.String),
            new(4, "stringData", Kind.MapString), new(5, "immutable", Kind.Bool),
        ]),
        ["v1/ServiceAccount"] = new(
        [
            new(1, "metadata", Kind.Message, ObjectMeta), new(2, "secrets", Kind.RepeatedMessage, ObjectReference),
            new(3, "imagePullSecrets", Kind.RepeatedMessage, Name), new(4, "automountServiceAccountToken", Kind.Bool),
        ]),
    };

    /// <summary>The object in a protobuf body as JSON; <see cref="NotSupportedException"/> for an unknown kind or a malformed body.</summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw new NotSupportedException("the protobuf body does not start with the k8s\\0 envelope magic");
        }

        try
        {
            var envelope = new CodedInputStream(body[Magic.Length..].ToArray());
            string apiVersion = "", kind = "";
            ByteString raw = ByteString.Empty;
            uint tag;
            while ((tag = envelope.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1:
                        (apiVersion, kind) = ReadTypeMeta(envelope.ReadBytes());
                        break;
                    case 2:
                        raw = envelope.ReadBytes();
                        break;
                    default:
                        envelope.SkipLastField();
                        break;
                }
            }

            if (!Kinds.TryGetValue($"{apiVersion}/{kind}", out var message))
            {
                throw new NotSupportedException($"the fake API server reads protobuf only for {string.Join(", ", Kinds.Keys)}; {apiVersion}/{kind} must be sent as JSON");
            }

            var obj = Read(raw, message);
            obj["apiVersion"] = apiVersion;
            obj["kind"] = kind;
            return obj;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new NotSupportedException($"the protobuf body is malformed: {ex.Message}", ex);
        }
    }

    private static (string ApiVersion, string Kind) ReadTypeMeta(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        string apiVersion = "", kind = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    apiVersion = input.ReadString();
                    break;
                case 2:
                    kind = input.ReadString();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (apiVersion, kind);
    }

    private static JsonObject Read(ByteString bytes, Message message)
    {
        var input = bytes.CreateCodedInput();
        var result = new JsonObject();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = message.Fields.FirstOrDefault(f => f.Number == WireFormat.GetTagFieldNumber(tag));
            if (field is null)
            {
                input.SkipLastField();
                continue;
            }

            switch (field.Kind)
            {
                case Kind.String:
                    var text = input.ReadString();
                    if (text.Length > 0)
                    {
                        result[field.Name] = text;
                    }

                    break;
                case Kind.Bool:
                    result[field.Name] = input.ReadBool();
                    break;
                case Kind.Int64:
                    var number = input.ReadInt64();
                    if (number != 0)
                    {
                        result[field.Name] = number;
                    }

                    break;
                case Kind.Time:
                    var time = ReadTime(input.ReadBytes());
                    if (time is not null)
                    {
                        result[field.Name] = time;
                    }

                    break;
                case Kind.Message:
                    var child = Read(input.ReadBytes(), field.Message!);
                    if (child.Count > 0)
                    {
                        result[field.Name] = child;
                    }

                    break;
                case Kind.RepeatedString:
                    Array(result, field.Name).Add(input.ReadString());
                    break;
                case Kind.RepeatedMessage:
                    Array(result, field.Name).Add(Read(input.ReadBytes(), field.Message!));
                    break;
                case Kind.MapString:
                case Kind.MapBytes:
                    var (key, value) = ReadEntry(input.ReadBytes(), field.Kind == Kind.MapBytes);
                    if (result[field.Name] is not JsonObject map)
                    {
                        map = new JsonObject();
                        result[field.Name] = map;
                    }

                    map[key] = value;
                    break;
            }
        }

        return result;
    }

    private static JsonArray Array(JsonObject obj, string name)
    {
        if (obj[name] is not JsonArray array)
        {
            array = [];
            obj[name] = array;
        }

        return array;
    }

    private static (string Key, string Value) ReadEntry(ByteString bytes, bool binary)
    {
        var input = bytes.CreateCodedInput();
        string key = "", value = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    key = input.ReadString();
                    break;
                case 2:
                    value = binary ? input.ReadBytes().ToBase64() : input.ReadString();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (key, value);
    }

    private static string? ReadTime(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        long seconds = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                seconds = input.ReadInt64();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private enum Kind
    {
        String,
        Bool,
        Int64,
        Time,
        Message,
        RepeatedString,
        RepeatedMessage,
        MapString,
        MapBytes,
    }

    private sealed record Field(int Number, string Name, Kind Kind, Message? Message = null);

    private sealed record Message(Field[] Fields);
}
