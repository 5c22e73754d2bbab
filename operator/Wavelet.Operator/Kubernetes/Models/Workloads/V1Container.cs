using System.Text.Json.Serialization;
using Wavelet.Api.Serialization;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Kubernetes.Models.Workloads;

public sealed class V1Container
{
    public string Name { get; set; } = "";
    public string Image { get; set; } = "";
    public string? ImagePullPolicy { get; set; }
    public List<string>? Args { get; set; }
    public List<V1ContainerPort>? Ports { get; set; }
    public List<V1EnvVar>? Env { get; set; }
    public ResourceRequirements? Resources { get; set; }
    public List<V1VolumeMount>? VolumeMounts { get; set; }
    public V1Probe? ReadinessProbe { get; set; }
    public V1Probe? LivenessProbe { get; set; }
    public V1Lifecycle? Lifecycle { get; set; }
    public V1SecurityContext? SecurityContext { get; set; }
}

public sealed class V1ContainerPort
{
    public string? Name { get; set; }
    public int ContainerPort { get; set; }
    public string? Protocol { get; set; }
}

public sealed class V1EnvVar
{
    public string Name { get; set; } = "";
    public string? Value { get; set; }
    public V1EnvVarSource? ValueFrom { get; set; }
}

public sealed class V1EnvVarSource
{
    public V1SecretKeySelector? SecretKeyRef { get; set; }
}

public sealed class V1SecretKeySelector
{
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";
    public bool? Optional { get; set; }
}

public sealed class V1VolumeMount
{
    public string Name { get; set; } = "";
    public string MountPath { get; set; } = "";
    public bool? ReadOnly { get; set; }
}

public sealed class V1Probe
{
    public V1HttpGetAction? HttpGet { get; set; }
    public int? InitialDelaySeconds { get; set; }
    public int? PeriodSeconds { get; set; }
    public int? TimeoutSeconds { get; set; }
    public int? FailureThreshold { get; set; }
}

public sealed class V1HttpGetAction
{
    public string Path { get; set; } = "";

    [JsonConverter(typeof(IntOrStringConverter))]
    public string? Port { get; set; }
}

public sealed class V1Lifecycle
{
    public V1LifecycleHandler? PreStop { get; set; }
}

public sealed class V1LifecycleHandler
{
    public V1SleepAction? Sleep { get; set; }
}

public sealed class V1SleepAction
{
    public long Seconds { get; set; }
}

public sealed class V1SecurityContext
{
    public bool? AllowPrivilegeEscalation { get; set; }
    public bool? ReadOnlyRootFilesystem { get; set; }
    public bool? RunAsNonRoot { get; set; }
    public V1Capabilities? Capabilities { get; set; }
    public V1SeccompProfile? SeccompProfile { get; set; }
}

public sealed class V1Capabilities
{
    public List<string>? Drop { get; set; }
}
