namespace Wavelet.Testing.Kubernetes;

/// <summary>
/// Stands in for the kubelet and the Deployment controller, which a fake API server does not have: marks a Deployment's
/// pods rolled out and available (status written through /status as kube-controller-manager).
/// </summary>
public static class TestKubelet
{
    private const string Manager = "kube-controller-manager";

    /// <summary>Marks one Deployment available now; false when it does not exist (yet).</summary>
    public static bool MarkDeploymentAvailable(this FakeKubernetesApiServer server, string ns, string name)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.GetObject("apps", "deployments", ns, name) is not { } deployment)
        {
            return false;
        }

        deployment["status"] = Available(deployment);
        server.PutObject("apps", "deployments", deployment);
        return true;
    }

    internal static IAsyncDisposable Start(FakeKubernetesStore store, string? ns)
    {
        var path = new FakeApiPath("apps", "v1", ns, "deployments", null, null);
        var watcher = store.OpenWatch(path, null, null, null, bookmarks: false, out _)!;
        var loop = Task.Run(async () =>
        {
            await foreach (var line in watcher.Lines.Reader.ReadAllAsync())
            {
                if (JsonNode.Parse(line) is not JsonObject { } change || change["type"]?.GetValue<string>() is not ("ADDED" or "MODIFIED") || change["object"] is not JsonObject deployment)
                {
                    continue;
                }

                var status = Available(deployment);
                if (JsonNode.DeepEquals(Subset(deployment["status"], status), status) || deployment["metadata"]?["deletionTimestamp"] is not null)
                {
                    continue;
                }

                var metadata = deployment["metadata"]!;
                var target = path with { Namespace = metadata["namespace"]!.GetValue<string>(), Name = metadata["name"]!.GetValue<string>(), Subresource = "status" };
                try
                {
                    store.Patch(target, "application/merge-patch+json", new JsonObject { ["status"] = status }, new WriteOptions(false, Manager, "Ignore"));
                }
                catch (FakeApiError)
                {
                    // deleted meanwhile
                }
            }
        });
        return new Running(store, watcher, loop);
    }

    private static JsonObject Available(JsonObject deployment)
    {
        var replicas = deployment["spec"]?["replicas"] is JsonValue value ? int.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) : 1;
        return new JsonObject
        {
            ["observedGeneration"] = deployment["metadata"]!["generation"]!.DeepClone(),
            ["replicas"] = replicas,
            ["updatedReplicas"] = replicas,
            ["readyReplicas"] = replicas,
            ["availableReplicas"] = replicas,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "Available", ["status"] = "True", ["reason"] = "MinimumReplicasAvailable" },
                new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = "NewReplicaSetAvailable" }),
        };
    }

    private static JsonObject Subset(JsonNode? status, JsonObject wanted)
    {
        var subset = new JsonObject();
        foreach (var (key, _) in wanted)
        {
            subset[key] = status?[key]?.DeepClone();
        }

        return subset;
    }

    private sealed class Running(FakeKubernetesStore store, FakeWatcher watcher, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            store.CloseWatch(watcher);
            await loop;
        }
    }
}
