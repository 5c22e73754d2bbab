namespace Wavelet.Testing.Kubernetes.Resources;

/// <summary>
/// The resource types the server knows: the built-ins, the kinds installed CRDs define, and kinds met only by their path
/// (served as custom resources but not discoverable). Thread-safe.
/// </summary>
internal sealed class ResourceCatalog
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Group, string Resource), ResourceType> _types = [];

    public ResourceCatalog()
    {
        foreach (var type in BuiltInResources.All)
        {
            _types[(type.Group, type.Resource)] = type;
        }
    }

    /// <summary>Raised after a discoverable type was added or removed (CRD installed, changed or deleted).</summary>
    public event Action? Changed;

    public ResourceType Get(string group, string version, string resource)
    {
        lock (_gate)
        {
            if (_types.TryGetValue((group, resource), out var type))
            {
                return type;
            }

            type = ResourceType.Unknown(group, version, resource);
            _types[(group, resource)] = type;
            return type;
        }
    }

    public bool TryGet(string group, string resource, out ResourceType type)
    {
        lock (_gate)
        {
            return _types.TryGetValue((group, resource), out type!);
        }
    }

    public IReadOnlyList<ResourceType> Discoverable
    {
        get
        {
            lock (_gate)
            {
                return [.. _types.Values.Where(t => t.Discoverable)];
            }
        }
    }

    public void Put(ResourceType type)
    {
        lock (_gate)
        {
            _types[(type.Group, type.Resource)] = type;
        }

        Changed?.Invoke();
    }

    /// <summary>Learns the kind of a resource met only by its path from the first object written to it.</summary>
    public ResourceType LearnKind(ResourceType type, string kind)
    {
        if (type.Kind.Length > 0 || kind.Length == 0)
        {
            return type;
        }

        var learned = type with { Kind = kind, Singular = kind.ToLowerInvariant() };
        lock (_gate)
        {
            _types[(type.Group, type.Resource)] = learned;
        }

        return learned;
    }

    public void Remove(string group, string resource)
    {
        lock (_gate)
        {
            _types.Remove((group, resource));
        }

        Changed?.Invoke();
    }
}
