using System.Text.Json.Nodes;

namespace Wavelet.Testing.Kubernetes;

/// <summary>Stands in for the kubelet and the Deployment controller: marks a Deployment's pods rolled out and available.</summary>
public static class TestKubelet
{
    /// <summary>Returns false when the Deployment does not exist (yet).</summary>
    public static bool MarkDeploymentAvailable(this FakeKubernetesApiServer server, string ns, string name)
    {
        if (server.GetObject("apps", "deployments", ns, name) is not { } deployment)
        {
            return false;
        }

        var replicas = deployment["spec"]?["replicas"]?.GetValue<int>() ?? 1;
        deployment["status"] = new JsonObject
        {
            ["observedGeneration"] = deployment["metadata"]!["generation"]!.DeepClone(),
            ["replicas"] = replicas,
            ["updatedReplicas"] = replicas,
            ["readyReplicas"] = replicas,
            ["availableReplicas"] = replicas,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = "NewReplicaSetAvailable" }),
        };
        server.PutObject("apps", "deployments", deployment);
        return true;
    }
}
