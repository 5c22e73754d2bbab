namespace Wavelet.DataPlane.Webhooks;

/// <summary>Values of the <c>result</c> label of wavelet_webhook_deliveries_total.</summary>
public static class WebhookResults
{
    public const string Ok = "ok";
    public const string Failed = "failed";
    public const string Dropped = "dropped";
}
