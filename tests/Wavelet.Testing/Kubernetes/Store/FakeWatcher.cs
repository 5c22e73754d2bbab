using System.Threading.Channels;

namespace Wavelet.Testing.Kubernetes.Store;

/// <summary>One open watch stream: its filter and the queue of lines still to write.</summary>
internal sealed class FakeWatcher
{
    private readonly LabelSelector _labels;
    private readonly FieldSelector _fields;

    public FakeWatcher(FakeApiPath path, ResourceType type, string? labelSelector, string? fieldSelector, bool bookmarks)
    {
        Path = path;
        Type = type;
        _labels = LabelSelector.Parse(labelSelector);
        _fields = FieldSelector.Parse(fieldSelector);
        Bookmarks = bookmarks;
    }

    public FakeApiPath Path { get; }
    public ResourceType Type { get; }
    public bool Bookmarks { get; }
    public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public bool Matches(FakeObjectKey key, JsonObject? obj) =>
        obj is not null &&
        key.Group == Path.Group && key.Resource == Path.Resource &&
        (Path.Namespace is null || key.Namespace == Path.Namespace) &&
        _labels.Matches(obj) && _fields.Matches(obj);

    /// <summary>Queues the event this watcher sees for a change from <paramref name="before"/> to <paramref name="after"/>, if any.</summary>
    public void Offer(FakeObjectKey key, string type, JsonObject? before, JsonObject after)
    {
        var wasIn = Matches(key, before);
        var isIn = Matches(key, after);
        var seen = type switch
        {
            "DELETED" => isIn || wasIn ? "DELETED" : null,
            _ when isIn && wasIn => "MODIFIED",
            _ when isIn => "ADDED",
            _ when wasIn => "DELETED", // moved out of the selector
            _ => null,
        };
        if (seen is not null)
        {
            Send(seen, After(after));
        }
    }

    public void Send(string type, JsonObject obj) =>
        Lines.Writer.TryWrite(new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString());

    public void SendBookmark(long resourceVersion)
    {
        if (Bookmarks)
        {
            Send("BOOKMARK", new JsonObject
            {
                ["kind"] = Type.Kind,
                ["apiVersion"] = Path.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            });
        }
    }

    /// <summary>The bookmark that ends the initial events of a watch-list (sendInitialEvents=true).</summary>
    public void SendInitialEventsEnd(long resourceVersion) =>
        Send("BOOKMARK", new JsonObject
        {
            ["kind"] = Type.Kind,
            ["apiVersion"] = Path.ApiVersion,
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture),
                ["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" },
            },
        });

    public void Close() => Lines.Writer.TryComplete();

    private JsonObject After(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = Path.ApiVersion;
        return copy;
    }
}

internal readonly record struct FakeObjectKey(string Group, string Resource, string Namespace, string Name);
