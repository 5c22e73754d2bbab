using Microsoft.AspNetCore.Http.Features;

namespace Wavelet.DataPlane.Web;

/// <summary>
/// Wraps the HTTP/1.1 upgrade of <c>/subscribe/</c> requests so the upgraded connection's stream is a
/// <see cref="UpgradedStream"/>: the WebSocket middleware still does the handshake and reads the socket, and the
/// subscriber's writer can put pre-framed messages straight on the stream.
/// </summary>
public static class FramedUpgrade
{
    public static void Use(WebApplication app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/subscribe", StringComparison.Ordinal)
            && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new Feature(upgrade));
        }

        return next(context);
    });

    /// <summary>The stream of this request's upgraded connection, when it was upgraded through the wrapper.</summary>
    public static UpgradedStream? StreamOf(HttpContext context) => (context.Features.Get<IHttpUpgradeFeature>() as Feature)?.Stream;

    private sealed class Feature(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public UpgradedStream? Stream { get; private set; }

        public async Task<Stream> UpgradeAsync()
        {
            Stream = new UpgradedStream(await inner.UpgradeAsync());
            return Stream;
        }
    }
}
