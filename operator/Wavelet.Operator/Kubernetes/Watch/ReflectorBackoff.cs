namespace Wavelet.Operator.Kubernetes.Watch;

/// <summary>client-go's reflector backoff: 0.8 s doubling to 30 s, back to 0.8 s after 2 minutes without a failure.</summary>
internal sealed class ReflectorBackoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(800);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ResetAfter = TimeSpan.FromMinutes(2);

    private TimeSpan _next = Initial;
    private DateTimeOffset? _lastFailure;

    /// <summary>The wait before the next attempt after a failure at <paramref name="now"/>.</summary>
    public TimeSpan NextDelay(DateTimeOffset now)
    {
        if (_lastFailure is { } last && now - last >= ResetAfter)
        {
            _next = Initial;
        }

        _lastFailure = now;
        var delay = _next;
        _next = _next * 2 > Max ? Max : _next * 2;
        return delay;
    }
}
