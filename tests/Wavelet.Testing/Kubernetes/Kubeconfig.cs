namespace Wavelet.Testing.Kubernetes;

/// <summary>
/// A kubeconfig with one cluster, user and context ("fake") that kubectl, helm and the client libraries read. The user
/// always has a token (default "fake-user"): KubernetesClient refuses a kubeconfig user without credentials.
/// </summary>
public static class Kubeconfig
{
    public static string Render(string server, string? token = null, string ns = "default")
    {
        var user = $"{{token: \"{token ?? "fake-user"}\"}}";
        return $"""
            apiVersion: v1
            kind: Config
            current-context: fake
            clusters:
            - name: fake
              cluster:
                server: {server}
            users:
            - name: fake
              user: {user}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: {ns}
            """ + "\n";
    }
}
