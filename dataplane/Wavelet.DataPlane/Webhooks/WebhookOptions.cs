namespace Wavelet.DataPlane.Webhooks;

/// <summary>Delivery settings shared by every webhook (configuration section <c>DataPlane:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "DataPlane:Webhooks";

    /// <summary>Diffs waiting per webhook; when full, new diffs are dropped (counted, logged) so the feed never waits.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Time one POST may take, connect to response headers; longer counts as a failed attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per diff (first try included) before it is given up and the next diff is sent.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the first retry; doubles per attempt (with jitter) up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryInitial { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(1);
}
