using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wavelet.Operator.Controller;
using Wavelet.Operator.Kubernetes.LeaderElection;
using LeaderElector = Wavelet.Operator.Kubernetes.LeaderElection.LeaderElector;
using Wavelet.Operator.Observability;

namespace Wavelet.Operator.Hosting;

/// <summary>Runs the controller, behind leader election when enabled: only the Lease holder reconciles; losing it stops all work at once.</summary>
public sealed class OperatorHostedService(
    IServiceProvider services, ProjectController controller, OperatorMetrics metrics, OperatorReadiness readiness,
    IOptions<OperatorOptions> options, TimeProvider time, ILogger<OperatorHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            if (!settings.LeaderElection.Enabled)
            {
                metrics.SetLeader(true);
                await controller.RunAsync(stoppingToken);
                return;
            }

            await RunWithLeaderElectionAsync(settings, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // A bug must not leave a half-running operator: log it and stop the host so the pod restarts.
            logger.OperatorFailed(e);
            services.GetService(typeof(IHostApplicationLifetime)).As<IHostApplicationLifetime>()?.StopApplication();
            throw;
        }
    }

    private async Task RunWithLeaderElectionAsync(OperatorOptions settings, CancellationToken stoppingToken)
    {
        var identity = settings.Identity ?? $"{Environment.MachineName}_{Guid.NewGuid():N}"[..Math.Min(63, Environment.MachineName.Length + 33)];
        var election = settings.LeaderElection;
        var leaseNamespace = election.LeaseNamespace ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "default";
        var lease = new LeaseLock((IKubernetes)services.GetService(typeof(IKubernetes))!, leaseNamespace, election.LeaseName, identity);
        var leaseName = lease.Describe();
        var config = new LeaderElectionConfig(lease)
        {
            LeaseDuration = election.LeaseDuration,
            RenewDeadline = election.RenewDeadline,
            RetryPeriod = election.RetryPeriod,
        };
        var elector = new LeaderElector(config, (ILogger<LeaderElector>?)services.GetService(typeof(ILogger<LeaderElector>)), time);

        var leading = Task.CompletedTask;
        elector.OnStartedLeading += token =>
        {
            metrics.SetLeader(true);
            logger.LeadingAndReconciling(identity);
            leading = controller.RunAsync(token);
        };
        elector.OnStoppedLeading += () =>
        {
            metrics.SetLeader(false);
            readiness.MarkReady();
            logger.LeadershipLost(identity);
        };
        elector.OnNewLeader += leader => logger.NewLeader(leader);

        metrics.SetLeader(false);
        readiness.MarkReady();
        logger.StandingBy(identity, leaseName);
        await elector.RunAsync(stoppingToken);
        await leading;
    }
}

internal static class ServiceProviderCasts
{
    public static T? As<T>(this object? value)
        where T : class => value as T;
}
