using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Wavelet.DataPlane.Web;

/// <summary>
/// Wraps the HTTP/1.1 upgrade of <c>/subscribe/</c> requests so the upgraded connection's stream is a
/// <see cref="UpgradedStream"/>: the WebSocket middleware still does the handshake and reads the socket, and the
/// subscriber's writer can put pre-framed messages straight on the stream, or below it on the connection's transport
/// pipe when Kestrel exposes it (<see cref="IConnectionTransportFeature"/>, the connection's features seen through the
/// request's): that skips the HTTP/1.1 output producer's copy, locks and flush bookkeeping per write.
/// </summary>
public static class FramedUpgrade
{
    public static void Use(WebApplication app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/subscribe", StringComparison.Ordinal)
            && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new Feature(upgrade, context.Features.Get<IConnectionTransportFeature>()));
        }

        return next(context);
    });

    /// <summary>The stream of this request's upgraded connection, when it was upgraded through the wrapper.</summary>
    public static UpgradedStream? StreamOf(HttpContext context) => (context.Features.Get<IHttpUpgradeFeature>() as Feature)?.Stream;

    private sealed class Feature(IHttpUpgradeFeature inner, IConnectionTransportFeature? transport) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public UpgradedStream? Stream { get; private set; }

        public async Task<Stream> UpgradeAsync()
        {
            // Read after the upgrade: connection middleware (TLS) may have replaced the transport the HTTP layer writes to.
            var stream = await inner.UpgradeAsync();
            Stream = new UpgradedStream(stream, transport?.Transport.Output);
            return Stream;
        }
    }
}
