namespace Wavelet.Operator.Tests.Children;

public sealed class DeploymentBuilderTests
{
    private static readonly Dictionary<string, string> Versions = new() { ["rw"] = "10", ["jwt"] = "11", ["hooks"] = "12" };

    [Fact]
    public void Pods_run_with_a_restricted_security_context_and_no_service_account_token()
    {
        var deployment = DeploymentBuilder.Build(TestProjects.Leaderboard(), "img:1", Versions);
        var pod = deployment.Spec!.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.False(pod.AutomountServiceAccountToken);
        Assert.True(pod.SecurityContext!.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile!.Type);
        Assert.False(container.SecurityContext!.AllowPrivilegeEscalation);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.True(container.SecurityContext.RunAsNonRoot);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities!.Drop!);
        Assert.Equal("RuntimeDefault", container.SecurityContext.SeccompProfile!.Type);
    }

    [Fact]
    public void Secrets_reach_the_pod_only_as_secretKeyRef_env()
    {
        var container = DeploymentBuilder.Build(TestProjects.Leaderboard(), "img:1", Versions).Spec!.Template.Spec.Containers[0];
        var env = container.Env!.ToDictionary(e => e.Name);

        Assert.Equal(("rw", "url"), (env["WAVELET_DATABASE_URL"].ValueFrom!.SecretKeyRef!.Name, env["WAVELET_DATABASE_URL"].ValueFrom!.SecretKeyRef!.Key));
        Assert.Equal("jwt", env["WAVELET_JWT_SECRET"].ValueFrom!.SecretKeyRef!.Name);
        Assert.Equal("hooks", env["WAVELET_WEBHOOK_SECRET_LEADERBOARD"].ValueFrom!.SecretKeyRef!.Name);
        Assert.All(env.Values.Where(e => e.Name is not (DataPlaneRuntime.ConfigPathEnv or DataPlaneRuntime.ManagementPortEnv)), e => Assert.Null(e.Value));
    }

    [Fact]
    public void A_separate_data_plane_credential_replaces_the_ddl_secret_in_the_pod()
    {
        var project = TestProjects.Leaderboard();
        project.Spec.DataPlane = new DataPlaneSpec { ConnectionSecretRef = new SecretKeySelector { Name = "rw-readonly", Key = "url" } };

        var pod = DeploymentBuilder.Build(project, "img:1", Versions).Spec!.Template.Spec;
        var env = pod.Containers[0].Env!.ToDictionary(e => e.Name);

        Assert.Equal("rw-readonly", env["WAVELET_DATABASE_URL"].ValueFrom!.SecretKeyRef!.Name);
        Assert.DoesNotContain(pod.Containers[0].Env!, e => e.ValueFrom?.SecretKeyRef?.Name == "rw");
        Assert.Contains("rw-readonly", DeploymentBuilder.ReferencedSecrets(project));
        Assert.DoesNotContain("rw", DeploymentBuilder.ReferencedSecrets(project));
    }

    [Fact]
    public void Config_is_mounted_as_a_directory_and_probes_rollout_and_drain_are_consistent()
    {
        var deployment = DeploymentBuilder.Build(TestProjects.Leaderboard(), "img:1", Versions);
        var pod = deployment.Spec!.Template.Spec;
        var container = pod.Containers[0];
        var mount = Assert.Single(container.VolumeMounts!, m => m.Name == "config");
        Assert.Equal(DataPlaneRuntime.ConfigDirectory, mount.MountPath);
        Assert.Equal("games-wavelet-config", pod.Volumes!.Single(v => v.Name == "config").ConfigMap!.Name);

        Assert.Equal("/readyz", container.ReadinessProbe!.HttpGet!.Path);
        Assert.Equal("/healthz", container.LivenessProbe!.HttpGet!.Path);
        Assert.Equal(("0", "1"), (deployment.Spec.Strategy!.RollingUpdate!.MaxUnavailable.Value, deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value));
        var preStop = container.Lifecycle!.PreStop!.Sleep!.Seconds;
        Assert.True(pod.TerminationGracePeriodSeconds >= preStop + DataPlaneRuntime.DrainSeconds, "grace period must cover preStop + drain");
        Assert.Equal(2, deployment.Spec.Replicas);
    }

    [Fact]
    public void Probes_use_the_management_port_and_the_service_exposes_only_the_client_port()
    {
        var project = TestProjects.Leaderboard();
        project.Spec.DataPlane = new DataPlaneSpec { Service = new ServiceSettings { Type = "LoadBalancer" } };
        var container = DeploymentBuilder.Build(project, "img:1", Versions).Spec!.Template.Spec.Containers[0];

        var ports = container.Ports!.ToDictionary(p => p.Name, p => p.ContainerPort);
        Assert.Equal(new Dictionary<string, int> { ["http"] = 8080, ["management"] = 9090 }, ports);
        Assert.Equal("management", container.ReadinessProbe!.HttpGet!.Port.Value);
        Assert.Equal("management", container.LivenessProbe!.HttpGet!.Port.Value);
        Assert.Equal("9090", container.Env!.Single(e => e.Name == "WAVELET_MANAGEMENT_PORT").Value);

        var service = ServiceBuilder.Build(project).Spec;
        var exposed = Assert.Single(service.Ports);
        Assert.Equal(("http", "http"), (exposed.Name, exposed.TargetPort.Value));
        Assert.DoesNotContain(service.Ports, p => p.TargetPort.Value is "management" or "9090");
    }

    [Fact]
    public void Restart_hash_changes_with_image_secrets_and_resources_but_not_with_queries()
    {
        string Hash(WaveletProject p, IReadOnlyDictionary<string, string> v) =>
            DeploymentBuilder.Build(p, "img:1", v).Spec!.Template.Metadata.Annotations![RestartHash.Annotation];

        var project = TestProjects.Leaderboard();
        var baseline = Hash(project, Versions);

        var moreQueries = TestProjects.Leaderboard();
        moreQueries.Spec.Queries.Add(new QuerySpec { Name = "top", Sql = "SELECT 1 AS x" });
        Assert.Equal(baseline, Hash(moreQueries, Versions));

        var newImage = TestProjects.Leaderboard();
        newImage.Spec.DataPlane = new DataPlaneSpec { Image = "img:2" };
        Assert.NotEqual(baseline, Hash(newImage, Versions));

        Assert.NotEqual(baseline, Hash(project, new Dictionary<string, string>(Versions) { ["jwt"] = "99" }));

        var resources = TestProjects.Leaderboard();
        resources.Spec.DataPlane = new DataPlaneSpec { Resources = new ResourceRequirements { Limits = new() { ["memory"] = "512Mi" } } };
        Assert.NotEqual(baseline, Hash(resources, Versions));
    }

    [Fact]
    public void Children_carry_the_controller_owner_reference_and_standard_labels()
    {
        var project = TestProjects.Leaderboard();
        var objects = new[]
        {
            DeploymentBuilder.Build(project, "img", Versions).Metadata,
            ServiceBuilder.Build(project).Metadata,
            ConfigMapBuilder.Build(project, new()).Metadata,
        };
        foreach (var meta in objects)
        {
            var owner = Assert.Single(meta.OwnerReferences!);
            Assert.Equal(("WaveletProject", "games", "uid-games", true, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
            Assert.Equal("wavelet-operator", meta.Labels!["app.kubernetes.io/managed-by"]);
            Assert.Equal("games", meta.Labels["app.kubernetes.io/instance"]);
            Assert.Equal("apps", meta.NamespaceProperty);
        }
    }

    [Fact]
    public void Suspend_scales_to_zero_and_autoscaling_leaves_replicas_to_the_hpa()
    {
        var suspended = TestProjects.Leaderboard();
        suspended.Spec.Suspend = true;
        Assert.Equal(0, DeploymentBuilder.Build(suspended, "img", Versions).Spec!.Replicas);
        Assert.Null(HorizontalPodAutoscalerBuilder.Build(suspended));

        var scaled = TestProjects.Leaderboard();
        scaled.Spec.DataPlane = new DataPlaneSpec { Autoscaling = new AutoscalingSettings { MaxReplicas = 5, TargetCPUUtilization = 60 } };
        Assert.Null(DeploymentBuilder.Build(scaled, "img", Versions).Spec!.Replicas);
        var hpa = HorizontalPodAutoscalerBuilder.Build(scaled)!;
        Assert.Equal((1, 5, 60), (hpa.Spec!.MinReplicas, hpa.Spec.MaxReplicas, hpa.Spec.Metrics![0].Resource!.Target.AverageUtilization));
        Assert.Equal("games-wavelet", hpa.Spec.ScaleTargetRef.Name);
    }

    [Fact]
    public void Pdb_only_when_enabled_with_min_available_default()
    {
        var project = TestProjects.Leaderboard();
        Assert.Null(PodDisruptionBudgetBuilder.Build(project));
        project.Spec.DataPlane = new DataPlaneSpec { PodDisruptionBudget = new PodDisruptionBudgetSettings { Enabled = true } };
        var pdb = PodDisruptionBudgetBuilder.Build(project)!;
        Assert.Equal("1", pdb.Spec!.MinAvailable);
        Assert.Equal("games", pdb.Spec.Selector.MatchLabels!["app.kubernetes.io/instance"]);
    }
}
