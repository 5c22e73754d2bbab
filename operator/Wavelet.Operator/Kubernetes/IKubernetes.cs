using Wavelet.Api.Meta;

namespace Wavelet.Operator.Kubernetes;

/// <summary>Entry point to the API server: one typed client per resource type.</summary>
public interface IKubernetes
{
    ResourceClient<T> Resource<T>(ResourceType type)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}
