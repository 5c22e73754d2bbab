using k8s.LeaderElection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wavelet.Operator.Kubernetes.LeaderElection;

/// <summary>
/// client-go's leader election over KubernetesClient's lock (a <c>LeaseLock</c> in the operator). Candidates try every
/// RetryPeriod: renew when holding the lease, create it when absent, take it when its holder has not changed it for
/// leaseDurationSeconds as measured on this candidate's own clock (so clock skew between nodes does not matter). The
/// lock writes with the read resourceVersion, so of two racing candidates one gets 409. A leader that cannot renew
/// within RenewDeadline stops leading (its token is cancelled). On cancellation the lease is released (empty holder,
/// leaseDurationSeconds 1) so another candidate takes over at once.
/// KubernetesClient's own <c>LeaderElector</c> is not used: it never releases the lease and runs on the system clock.
/// </summary>
public sealed class LeaderElector
{
    private const double JitterFactor = 1.2;

    private readonly LeaderElectionConfig _config;
    private readonly ILock _lock;
    private readonly string _lease;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private LeaderElectionRecord? _observed;
    private DateTimeOffset _observedTime;
    private volatile bool _isLeader;

    public LeaderElector(LeaderElectionConfig config, ILogger<LeaderElector>? logger = null, TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Validate(config);
        _config = config;
        _lock = config.Lock;
        _lease = config.Lock.Describe();
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

    public string Identity => _lock.Identity;

    /// <summary>The holder last seen in the lease.</summary>
    public string? ObservedLeader => _observed?.HolderIdentity;

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
            _logger.BecameLeader(Identity, _lease);
            // Like client-go's goroutine: a handler that does its work inline must not stall renewals.
            var leadershipToken = leadership.Token;
            _ = Task.Run(() => Raise(() => OnStartedLeading?.Invoke(leadershipToken)), CancellationToken.None);

            await RenewUntilLostAsync(cancellationToken);

            await leadership.CancelAsync(); // stop the leader's work first
            _isLeader = false;
            if (cancellationToken.IsCancellationRequested)
            {
                await ReleaseAsync();
            }

            _logger.StoppedLeading(Identity, _lease);
            Raise(() => OnStoppedLeading?.Invoke());
        }
    }

    private static void Validate(LeaderElectionConfig config)
    {
        if (config.Lock is null || string.IsNullOrWhiteSpace(config.Lock.Identity))
        {
            throw new ArgumentException("Leader election needs a lock with a non-empty identity (e.g. the pod name).");
        }

        if (config.LeaseDuration <= config.RenewDeadline)
        {
            throw new ArgumentException($"LeaseDuration ({config.LeaseDuration.TotalSeconds} s) must be greater than RenewDeadline ({config.RenewDeadline.TotalSeconds} s).");
        }

        if (config.RenewDeadline <= config.RetryPeriod * JitterFactor)
        {
            throw new ArgumentException($"RenewDeadline ({config.RenewDeadline.TotalSeconds} s) must be greater than {JitterFactor} × RetryPeriod ({config.RetryPeriod.TotalSeconds} s).");
        }

        if (config.LeaseDuration.TotalSeconds < 1 || config.LeaseDuration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"LeaseDuration ({config.LeaseDuration}) must be a whole number of seconds (the Lease stores leaseDurationSeconds).");
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

            var jittered = _config.RetryPeriod + TimeSpan.FromTicks((long)(_config.RetryPeriod.Ticks * (JitterFactor - 1) * _random.NextDouble()));
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
                    _logger.RenewDeadlinePassed(Identity, _lease, _config.RenewDeadline);
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
#pragma warning disable CA1031 // any failed attempt (API, network, conflict) is retried after RetryPeriod, as in client-go
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LeaseAttemptFailed(Identity, _lease, ex is k8s.Autorest.HttpOperationException api ? api.Describe() : ex.Message);
            return false;
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var desired = new LeaderElectionRecord
        {
            HolderIdentity = Identity,
            LeaseDurationSeconds = (int)_config.LeaseDuration.TotalSeconds,
            AcquireTime = MicroTime(now),
            RenewTime = MicroTime(now),
        };

        LeaderElectionRecord? old;
        try
        {
            old = await _lock.GetAsync(cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.IsNotFound())
        {
            old = null;
        }

        if (old is null)
        {
            if (!await _lock.CreateAsync(desired, cancellationToken))
            {
                return false; // another candidate created it first
            }

            Observe(desired, now);
            return true;
        }

        if (!Same(old, _observed))
        {
            var previousHolder = _observed?.HolderIdentity;
            Observe(old, now);
            if (old.HolderIdentity != previousHolder && old.HolderIdentity != Identity)
            {
                Raise(() => OnNewLeader?.Invoke(old.HolderIdentity ?? ""));
            }
        }

        var heldByOther = !string.IsNullOrEmpty(old.HolderIdentity) && old.HolderIdentity != Identity;
        if (heldByOther && _observedTime + TimeSpan.FromSeconds(old.LeaseDurationSeconds) > now)
        {
            return false;
        }

        if (old.HolderIdentity == Identity)
        {
            desired.AcquireTime = old.AcquireTime ?? desired.AcquireTime;
            desired.LeaderTransitions = old.LeaderTransitions;
        }
        else
        {
            desired.LeaderTransitions = old.LeaderTransitions + 1;
        }

        if (!await _lock.UpdateAsync(desired, cancellationToken))
        {
            return false; // 409: someone wrote the lease since we read it
        }

        Observe(desired, now);
        return true;
    }

    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(_config.RenewDeadline);
            var current = await _lock.GetAsync(timeout.Token);
            if (current?.HolderIdentity != Identity)
            {
                return;
            }

            var now = MicroTime(_time.GetUtcNow());
            var released = new LeaderElectionRecord
            {
                HolderIdentity = "",
                LeaseDurationSeconds = 1,
                AcquireTime = now,
                RenewTime = now,
                LeaderTransitions = current.LeaderTransitions,
            };
            if (await _lock.UpdateAsync(released, timeout.Token))
            {
                _logger.LeaseReleased(Identity, _lease);
            }
        }
        catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException or IOException or OperationCanceledException)
        {
            _logger.LeaseReleaseFailed(Identity, _lease, ex.Message);
        }
    }

    // The whole record, not just holder and times (LeaderElectionRecord.Equals): a changed duration or count is a change too.
    private static bool Same(LeaderElectionRecord a, LeaderElectionRecord? b) =>
        b is not null && a.HolderIdentity == b.HolderIdentity && a.LeaseDurationSeconds == b.LeaseDurationSeconds
        && a.AcquireTime == b.AcquireTime && a.RenewTime == b.RenewTime && a.LeaderTransitions == b.LeaderTransitions;

    // A Lease stores metav1.MicroTime: what is written is what is read back.
    private static DateTime MicroTime(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % 10), DateTimeKind.Utc);

    private void Observe(LeaderElectionRecord record, DateTimeOffset now)
    {
        _observed = record;
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
#pragma warning disable CA1031 // a handler's failure must not stop the election loop
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.HandlerFailed(ex);
        }
    }
}
