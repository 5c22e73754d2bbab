using Microsoft.Extensions.Options;

namespace Wavelet.Operator.Hosting;

/// <summary>Rejects settings the operator cannot run with, naming the setting and how to fix it.</summary>
public sealed class OperatorOptionsValidator : IValidateOptions<OperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        CheckPort(problems, "MetricsPort (--metrics-port)", options.MetricsPort);
        CheckPort(problems, "HealthPort (--health-port)", options.HealthPort);
        if (options.MaxConcurrentReconciles is < 1 or > 64)
        {
            problems.Add($"MaxConcurrentReconciles (--max-concurrent-reconciles) is {options.MaxConcurrentReconciles}; use 1 to 64");
        }

        if (options.ResyncPeriod < TimeSpan.FromSeconds(1))
        {
            problems.Add($"ResyncPeriod (--resync-period) is {options.ResyncPeriod}; use at least 00:00:01, e.g. 00:10:00");
        }

        if (string.IsNullOrWhiteSpace(options.DataPlaneImage))
        {
            problems.Add("DataPlaneImage (--data-plane-image) is empty; set the default data-plane image");
        }

        var election = options.LeaderElection;
        if (election.Enabled)
        {
            if (string.IsNullOrWhiteSpace(election.LeaseName))
            {
                problems.Add("LeaderElection:LeaseName (--lease-name) is empty; name the Lease, e.g. wavelet-operator");
            }

            if (!(election.LeaseDuration > election.RenewDeadline && election.RenewDeadline > election.RetryPeriod * 1.2))
            {
                problems.Add("LeaderElection timings need LeaseDuration > RenewDeadline > 1.2 × RetryPeriod (defaults 15s, 10s, 2s)");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void CheckPort(List<string> problems, string setting, int port)
    {
        if (port is < 0 or > 65535)
        {
            problems.Add($"{setting} is {port}; use a TCP port 1-65535 (0 picks a free one)");
        }
    }
}
