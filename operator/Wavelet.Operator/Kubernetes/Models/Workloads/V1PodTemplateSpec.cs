using System.Text.Json.Nodes;
using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Kubernetes.Models.Workloads;

public sealed class V1PodTemplateSpec
{
    public V1ObjectMeta Metadata { get; set; } = new();
    public V1PodSpec Spec { get; set; } = new();
}

public sealed class V1PodSpec
{
    public List<V1Container> Containers { get; set; } = [];
    public bool? AutomountServiceAccountToken { get; set; }
    public bool? EnableServiceLinks { get; set; }
    public V1PodSecurityContext? SecurityContext { get; set; }
    public long? TerminationGracePeriodSeconds { get; set; }
    public Dictionary<string, string>? NodeSelector { get; set; }
    public List<Toleration>? Tolerations { get; set; }
    public JsonObject? Affinity { get; set; }
    public List<V1Volume>? Volumes { get; set; }
}

public sealed class V1PodSecurityContext
{
    public bool? RunAsNonRoot { get; set; }
    public long? RunAsUser { get; set; }
    public long? RunAsGroup { get; set; }
    public long? FsGroup { get; set; }
    public V1SeccompProfile? SeccompProfile { get; set; }
}

public sealed class V1SeccompProfile
{
    public string Type { get; set; } = "RuntimeDefault";
}

public sealed class V1Volume
{
    public string Name { get; set; } = "";
    public V1ConfigMapVolumeSource? ConfigMap { get; set; }
    public V1EmptyDirVolumeSource? EmptyDir { get; set; }
}

public sealed class V1ConfigMapVolumeSource
{
    public string Name { get; set; } = "";
}

public sealed class V1EmptyDirVolumeSource
{
    public string? Medium { get; set; }
    public string? SizeLimit { get; set; }
}
