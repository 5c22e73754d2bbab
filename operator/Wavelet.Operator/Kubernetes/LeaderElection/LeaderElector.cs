using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wavelet.Api.Meta;
using Wavelet.Api.Serialization;

namespace Wavelet.Operator.Kubernetes;

/// <summary>
/// client-go's leader election over a Lease. Candidates try every RetryPeriod: renew when holding the lease, create it
/// when absent, take it when its holder has not changed it for leaseDurationSeconds as measured on this candidate's own
/// clock (so clock skew between nodes does not matter). Writes are PUTs with the read resourceVersion, so of two racing
/// candidates one gets 409. A leader that cannot renew within RenewDeadline stops leading (its token is cancelled).
/// On cancellation the lease is released (empty holder, leaseDurationSeconds 1) so another candidate takes over at once.
/// </summary>
public sealed class LeaderElector
{
    private readonly ResourceClient<V1Lease> _leases;
    private readonly LeaderElectionConfig _config;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private V1LeaseSpec? _observedRecord;
    private string? _observedRaw;
    private DateTimeOffset _observedTime;
    private volatile bool _isLeader;

    public LeaderElector(IKubernetes client, LeaderElectionConfig config, ILogger<LeaderElector>? logger = null, TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _leases = client.Resource<V1Lease>(ResourceTypes.Leases);
        _config = config;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared;
    }

    /// <summary>
    /// Raised on the thread pool when this candidate becomes leader; the token is cancelled when leadership ends. Start
    /// work from it and stop it when the token fires (do not use an async lambda: its exceptions cannot be caught here).
    /// </summary>
    public event Action<CancellationToken>? OnStartedLeading;

    /// <summary>Raised when leadership ends (lost renewal or shutdown).</summary>
    public event Action? OnStoppedLeading;

    /// <summary>Raised when a different holder is observed (the identity, or "" when released).</summary>
    public event Action<string>? OnNewLeader;

    public bool IsLeader => _isLeader;

    public string Identity => _config.Identity;

    /// <summary>The holder last seen in the lease.</summary>
    public string? ObservedLeader => _observedRecord?.HolderIdentity;

    /// <summary>Competes for leadership until cancelled; after losing leadership it competes again.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await AcquireAsync(cancellationToken))
            {
                return;
            }

            using var leadership = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _isLeader = true;
            _logger.LogInformation("{Identity} became leader of lease {Namespace}/{Lease}", _config.Identity, _config.Namespace, _config.LeaseName);
            // Like client-go's goroutine: a handler that does its work inline must not stall renewals.
            var leadershipToken = leadership.Token;
            _ = Task.Run(() => Raise(() => OnStartedLeading?.Invoke(leadershipToken)), CancellationToken.None);

            await RenewUntilLostAsync(cancellationToken);

            await leadership.CancelAsync(); // stop the leader's work first
            _isLeader = false;
            if (cancellationToken.IsCancellationRequested && _config.ReleaseOnCancel)
            {
                await ReleaseAsync();
            }

            _logger.LogInformation("{Identity} stopped leading lease {Namespace}/{Lease}", _config.Identity, _config.Namespace, _config.LeaseName);
            Raise(() => OnStoppedLeading?.Invoke());
        }
    }

    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewQuietlyAsync(cancellationToken))
            {
                return true;
            }

            var jittered = _config.RetryPeriod + TimeSpan.FromTicks((long)(_config.RetryPeriod.Ticks * (LeaderElectionConfig.JitterFactor - 1) * _random.NextDouble()));
            if (!await DelayAsync(jittered, cancellationToken))
            {
                return false;
            }
        }

        return false;
    }

    // client-go: every RetryPeriod, renew; a renewal keeps retrying every RetryPeriod until RenewDeadline has passed.
    private async Task RenewUntilLostAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await DelayAsync(_config.RetryPeriod, cancellationToken))
            {
                return;
            }

            var deadline = _time.GetUtcNow() + _config.RenewDeadline;
            while (!await TryAcquireOrRenewQuietlyAsync(cancellationToken))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                if (_time.GetUtcNow() + _config.RetryPeriod > deadline)
                {
                    _logger.LogWarning("{Identity} could not renew lease {Namespace}/{Lease} within {Deadline}; giving up leadership", _config.Identity, _config.Namespace, _config.LeaseName, _config.RenewDeadline);
                    return;
                }

                if (!await DelayAsync(_config.RetryPeriod, cancellationToken))
                {
                    return;
                }
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_config.RenewDeadline);
            return await TryAcquireOrRenewAsync(attempt.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex)
        {
            _logger.LogWarning("{Identity}: lease {Namespace}/{Lease} attempt failed: {Error}", _config.Identity, _config.Namespace, _config.LeaseName, ex.Message);
            return false;
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var desired = new V1LeaseSpec
        {
            HolderIdentity = _config.Identity,
            LeaseDurationSeconds = (int)_config.LeaseDuration.TotalSeconds,
            AcquireTime = now,
            RenewTime = now,
            LeaseTransitions = 0,
        };

        var lease = await _leases.GetAsync(_config.Namespace, _config.LeaseName, cancellationToken);
        if (lease is null)
        {
            var fresh = new V1Lease { Metadata = new V1ObjectMeta { Name = _config.LeaseName, NamespaceProperty = _config.Namespace }, Spec = desired };
            try
            {
                await _leases.CreateAsync(fresh, cancellationToken);
            }
            catch (KubernetesException ex) when (ex.IsAlreadyExists || ex.IsConflict)
            {
                return false;
            }

            Observe(desired, now);
            return true;
        }

        var old = lease.Spec;
        var raw = KubernetesJson.Serialize(old);
        if (raw != _observedRaw)
        {
            var previousHolder = _observedRecord?.HolderIdentity;
            Observe(old, now);
            if (old.HolderIdentity != previousHolder && old.HolderIdentity != _config.Identity)
            {
                Raise(() => OnNewLeader?.Invoke(old.HolderIdentity ?? ""));
            }
        }

        var heldByOther = !string.IsNullOrEmpty(old.HolderIdentity) && old.HolderIdentity != _config.Identity;
        var expiresAt = _observedTime + TimeSpan.FromSeconds(old.LeaseDurationSeconds ?? 0);
        if (heldByOther && expiresAt > now)
        {
            return false;
        }

        if (old.HolderIdentity == _config.Identity)
        {
            desired.AcquireTime = old.AcquireTime ?? now;
            desired.LeaseTransitions = old.LeaseTransitions ?? 0;
        }
        else
        {
            desired.LeaseTransitions = (old.LeaseTransitions ?? 0) + 1;
        }

        lease.Spec = desired;
        try
        {
            await _leases.ReplaceAsync(lease, cancellationToken);
        }
        catch (KubernetesException ex) when (ex.IsConflict || ex.IsNotFound)
        {
            return false;
        }

        Observe(desired, now);
        return true;
    }

    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(_config.RenewDeadline);
            var lease = await _leases.GetAsync(_config.Namespace, _config.LeaseName, timeout.Token);
            if (lease is null || lease.Spec.HolderIdentity != _config.Identity)
            {
                return;
            }

            var now = _time.GetUtcNow();
            lease.Spec = new V1LeaseSpec
            {
                HolderIdentity = "",
                LeaseDurationSeconds = 1,
                AcquireTime = now,
                RenewTime = now,
                LeaseTransitions = lease.Spec.LeaseTransitions,
            };
            await _leases.ReplaceAsync(lease, timeout.Token);
            _logger.LogInformation("{Identity} released lease {Namespace}/{Lease}", _config.Identity, _config.Namespace, _config.LeaseName);
        }
        catch (Exception ex) when (ex is KubernetesException or HttpRequestException or IOException or OperationCanceledException)
        {
            _logger.LogWarning("{Identity} could not release lease {Namespace}/{Lease}: {Error}", _config.Identity, _config.Namespace, _config.LeaseName, ex.Message);
        }
    }

    private void Observe(V1LeaseSpec record, DateTimeOffset now)
    {
        _observedRecord = record;
        _observedRaw = KubernetesJson.Serialize(record);
        _observedTime = now;
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Raise(Action handler)
    {
        try
        {
            handler();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "A leader election handler failed");
        }
    }
}
