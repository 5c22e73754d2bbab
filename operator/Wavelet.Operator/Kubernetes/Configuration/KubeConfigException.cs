namespace Wavelet.Operator.Kubernetes;

/// <summary>The client configuration (kubeconfig, in-cluster files, exec plugin) is missing or wrong; the message says what and how to fix it.</summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException()
    {
    }

    public KubeConfigException(string message)
        : base(message)
    {
    }

    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
