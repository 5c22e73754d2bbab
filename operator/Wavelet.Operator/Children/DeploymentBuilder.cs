using k8s;
using k8s.Models;
using Wavelet.Api.DataPlane;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Operator.Children;

/// <summary>The data-plane Deployment: spec.dataPlane settings, Secrets only by reference, restricted security context, drain-aware rollout.</summary>
public static class DeploymentBuilder
{
    private const string ConfigVolume = "config";
    private const string TmpVolume = "tmp";

    public static string EffectiveImage(WaveletProject project, string defaultImage) =>
        string.IsNullOrEmpty(project.Spec.DataPlane?.Image) ? defaultImage : project.Spec.DataPlane.Image;

    /// <param name="allowPrivateEgress">The operator's setting: data-plane pods may call webhook and JWKS URLs on private and cluster addresses.</param>
    public static V1Deployment Build(WaveletProject project, string defaultImage, IReadOnlyDictionary<string, string> secretVersions, bool allowPrivateEgress = false)
    {
        ArgumentNullException.ThrowIfNull(project);
        var dataPlane = project.Spec.DataPlane ?? new DataPlaneSpec();
        var image = EffectiveImage(project, defaultImage);
        var podLabels = new Dictionary<string, string>(dataPlane.Labels ?? [], StringComparer.Ordinal);
        foreach (var (key, value) in ProjectLabels.Standard(project))
        {
            podLabels[key] = value;
        }

        var podAnnotations = new Dictionary<string, string>(dataPlane.Annotations ?? [], StringComparer.Ordinal)
        {
            [RestartHash.Annotation] = RestartHash.Compute(image, secretVersions, dataPlane.Resources),
        };

        return new V1Deployment
        {
            Metadata = ProjectLabels.Metadata(project, ChildNames.Workload(project)),
            Spec = new V1DeploymentSpec
            {
                Replicas = DesiredReplicas(project),
                Selector = new V1LabelSelector { MatchLabels = ProjectLabels.Selector(project) },
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 },
                },
                MinReadySeconds = 5,
                ProgressDeadlineSeconds = 600,
                RevisionHistoryLimit = 5,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new() { Labels = podLabels, Annotations = podAnnotations },
                    Spec = PodSpec(project, dataPlane, image, allowPrivateEgress),
                },
            },
        };
    }

    /// <summary>0 while suspended; unset while an HPA owns the count; else spec.dataPlane.replicas (default 2).</summary>
    public static int? DesiredReplicas(WaveletProject project)
    {
        if (WaveletProjectDefaults.IsSuspended(project))
        {
            return 0;
        }

        return project.Spec.DataPlane?.Autoscaling is null ? WaveletProjectDefaults.EffectiveReplicas(project) : null;
    }

    private static V1PodSpec PodSpec(WaveletProject project, DataPlaneSpec dataPlane, string image, bool allowPrivateEgress) => new()
    {
        ImagePullSecrets = dataPlane.ImagePullSecrets is { Count: > 0 } pullSecrets ? [.. pullSecrets.Select(n => new V1LocalObjectReference { Name = n })] : null,
        AutomountServiceAccountToken = false,
        EnableServiceLinks = false,
        TerminationGracePeriodSeconds = DataPlaneRuntime.TerminationGracePeriodSeconds,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = DataPlaneRuntime.RunAsUser,
            RunAsGroup = DataPlaneRuntime.RunAsUser,
            FsGroup = DataPlaneRuntime.RunAsUser,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        NodeSelector = dataPlane.NodeSelector is { Count: > 0 } ? dataPlane.NodeSelector : null,
        Tolerations = dataPlane.Tolerations is { Count: > 0 } ? [.. dataPlane.Tolerations.Select(Toleration)] : null,
        Affinity = dataPlane.Affinity is null ? null : KubernetesJson.Deserialize<V1Affinity>(dataPlane.Affinity.ToJsonString()),
        Volumes =
        [
            new V1Volume { Name = ConfigVolume, ConfigMap = new V1ConfigMapVolumeSource { Name = ChildNames.ConfigMap(project) } },
            new V1Volume { Name = TmpVolume, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } },
        ],
        Containers = [Container(project, dataPlane, image, allowPrivateEgress)],
    };

    private static V1Container Container(WaveletProject project, DataPlaneSpec dataPlane, string image, bool allowPrivateEgress) => new()
    {
        Name = DataPlaneRuntime.ContainerName,
        Image = image,
        Ports = [new V1ContainerPort { Name = DataPlaneRuntime.PortName, ContainerPort = DataPlaneRuntime.ContainerPort, Protocol = "TCP" }],
        Env = Env(project, allowPrivateEgress),
        Resources = Resources(WaveletProjectDefaults.EffectiveResources(project)),
        VolumeMounts =
        [
            new V1VolumeMount { Name = ConfigVolume, MountPath = DataPlaneRuntime.ConfigDirectory, ReadOnlyProperty = true },
            new V1VolumeMount { Name = TmpVolume, MountPath = "/tmp" },
        ],
        ReadinessProbe = Probe("/readyz", periodSeconds: 5, failureThreshold: 2),
        LivenessProbe = Probe("/healthz", periodSeconds: 10, failureThreshold: 3),
        Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = DataPlaneRuntime.PreStopSleepSeconds } } },
        SecurityContext = new V1SecurityContext
        {
            AllowPrivilegeEscalation = false,
            ReadOnlyRootFilesystem = true,
            RunAsNonRoot = true,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
    };

    private static V1Probe Probe(string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = DataPlaneRuntime.PortName },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 2,
        FailureThreshold = failureThreshold,
    };

    private static V1Toleration Toleration(Toleration toleration) => new()
    {
        Key = toleration.Key,
        OperatorProperty = toleration.Operator,
        Value = toleration.Value,
        Effect = toleration.Effect,
        TolerationSeconds = toleration.TolerationSeconds,
    };

    private static V1ResourceRequirements Resources(ResourceRequirements resources) => new()
    {
        Requests = Quantities(resources.Requests),
        Limits = Quantities(resources.Limits),
    };

    private static Dictionary<string, ResourceQuantity>? Quantities(Dictionary<string, string>? values) =>
        values is null ? null : values.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value), StringComparer.Ordinal);

    private static List<V1EnvVar> Env(WaveletProject project, bool allowPrivateEgress)
    {
        var env = new List<V1EnvVar>
        {
            new() { Name = DataPlaneRuntime.ConfigPathEnv, Value = $"{DataPlaneRuntime.ConfigDirectory}/{DataPlaneConfig.FileName}" },
            FromSecret(DataPlaneRuntime.DatabaseUrlEnv, DataPlaneConnection(project)),
        };
        if (allowPrivateEgress)
        {
            env.Add(new V1EnvVar { Name = DataPlaneRuntime.AllowPrivateEgressEnv, Value = "true" });
        }

        if (project.Spec.Auth?.Jwt?.SecretRef is { } jwt)
        {
            env.Add(FromSecret(DataPlaneRuntime.JwtSecretEnv, jwt));
        }

        foreach (var query in project.Spec.Queries)
        {
            if (query.Webhook?.SecretRef is { } webhook)
            {
                env.Add(FromSecret(DataPlaneRuntime.WebhookSecretEnv(query.Name), webhook));
            }
        }

        return env;
    }

    /// <summary>The data plane's own credential when the project names one, else the DDL connection.</summary>
    public static SecretKeySelector DataPlaneConnection(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.Spec.DataPlane?.ConnectionSecretRef ?? project.Spec.Risingwave.ConnectionSecretRef;
    }

    private static V1EnvVar FromSecret(string name, SecretKeySelector selector) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = selector.Name, Key = selector.Key } },
    };

    /// <summary>Every Secret name the pods read, so their resourceVersions go into the restart hash.</summary>
    public static IReadOnlyList<string> ReferencedSecrets(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var names = new List<string> { DataPlaneConnection(project).Name };
        if (project.Spec.Auth?.Jwt?.SecretRef is { } jwt)
        {
            names.Add(jwt.Name);
        }

        names.AddRange(project.Spec.Queries.Where(q => q.Webhook?.SecretRef is not null).Select(q => q.Webhook!.SecretRef!.Name));
        return [.. names.Distinct(StringComparer.Ordinal)];
    }
}
