namespace Wavelet.Api.Meta;

/// <summary>An object the Kubernetes API serves. Mirrors k8s.IKubernetesObject so the client can be swapped later.</summary>
public interface IKubernetesObject
{
    string ApiVersion { get; set; }

    string Kind { get; set; }
}

/// <summary>An object with metadata. Mirrors k8s.IMetadata&lt;T&gt;.</summary>
public interface IMetadata<T>
{
    T Metadata { get; set; }
}

/// <summary>A Kubernetes object with metadata. Mirrors k8s.IKubernetesObject&lt;TMetadata&gt;.</summary>
public interface IKubernetesObject<TMetadata> : IKubernetesObject, IMetadata<TMetadata>
{
}
