using System.Globalization;
using System.Net.WebSockets;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Auth;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.Limits;
using Wavelet.DataPlane.Operations;

namespace Wavelet.DataPlane.Web;

/// <summary>
/// WS /subscribe/{query}?token=&amp;cursor=: authorise once, register with the query's hub (snapshot or replay from
/// memory), then let the subscriber write its queued frames to the connection until it closes, the token expires or the
/// server drains. An idle socket has one pending receive and nothing else.
/// </summary>
public static class SubscribeEndpoint
{
    private const int ReceiveBufferBytes = 64;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    public static RouteGroupBuilder MapSubscribeEndpoint(this IEndpointRouteBuilder routes)
    {
        var subscribe = routes.MapGroup("/subscribe");
        subscribe.Map("/{name}", HandleAsync);
        return subscribe;
    }

    private static async Task HandleAsync(string name, HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiErrors.Error(StatusCodes.Status400BadRequest, "this route needs a WebSocket upgrade").ExecuteAsync(context);
            return;
        }

        var services = context.RequestServices;
        if (services.GetRequiredService<DrainState>().IsDraining)
        {
            await ApiErrors.Error(StatusCodes.Status503ServiceUnavailable, "server is shutting down: reconnect with your last cursor").ExecuteAsync(context);
            return;
        }

        var holder = services.GetRequiredService<ConfigHolder>();
        var live = holder.Live;
        var config = live.Config;
        var limits = config.Limits;
        var caps = services.GetRequiredService<ConnectionLimits>();
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var addressSlot = caps.TryAcquireAddress(address, limits.MaxConnectionsPerAddress);
        if (addressSlot is null)
        {
            await TooManyAsync(context, $"too many open connections from your address (limit {limits.MaxConnectionsPerAddress}): close some before opening more");
            return;
        }

        // Everything that can refuse the request is decided before the upgrade. A refusal is still sent as an accepted
        // socket closed with 4000 and the reason: a browser shows a refused upgrade only as a network error, and
        // clients must tell a bad token (do not retry) from a network problem (retry). Nothing per-socket exists yet.
        var query = config.Queries.FirstOrDefault(q => q.Name == name);
        var hub = live.Hub(name);
        if (query is null || hub is null)
        {
            await RefuseAsync(context, $"unknown query '{name}'");
            return;
        }

        var auth = await RequestAuth.AuthenticateAsync(context, config, required: true);
        if (auth.Caller is not { } caller)
        {
            await RefuseAsync(context, auth.Error!);
            return;
        }

        if (ClaimAccess.Refusal(query, config.Auth.Jwt, caller) is { } refusal)
        {
            await RefuseAsync(context, refusal);
            return;
        }

        var token = RequestAuth.TokenOf(context.Request);
        using var tokenSlot = string.IsNullOrEmpty(token) ? null : caps.TryAcquireToken(token, limits.MaxConnectionsPerToken);
        if (!string.IsNullOrEmpty(token) && tokenSlot is null)
        {
            await TooManyAsync(context, $"too many open connections with this token (limit {limits.MaxConnectionsPerToken}): close some before opening more");
            return;
        }

        long? cursor = null;
        if (context.Request.Query.TryGetValue("cursor", out var cursorText) && cursorText.ToString().Length > 0)
        {
            if (!long.TryParse(cursorText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                await RefuseAsync(context, $"invalid cursor '{cursorText}': pass the cursor of the last diff you received");
                return;
            }

            cursor = parsed;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var subscriber = new Subscriber(caller.PartitionsFor(query.FilterClaim), limits.MaxQueuedBytesPerConnection);
        hub.Register(subscriber, cursor);
        var current = holder.Current;
        if (AccessChanges.RequiresReconnect(config, current, name) || (auth.VerifiedUnder is { } verifiedUnder && AccessChanges.AuthChanged(verifiedUnder, current)))
        {
            // A reload changed the rules this socket was authorised under after it read them (or the token was
            // verified under JWT settings a reload has replaced since).
            subscriber.Close(CloseCodes.ConfigChanged, AccessChanges.Reason);
        }

        try
        {
            IFrameSink sink = FramedUpgrade.StreamOf(context) is { } stream ? stream : new WebSocketFrameSink(socket);
            // Resolved once per socket: a label lookup per message would run 10k times per epoch at full fan-out.
            subscriber.Attach(sink, hub.Metrics.SendCountersOf(name));
            await ServeAsync(socket, subscriber, caller, services.GetRequiredService<TimeProvider>(), context.RequestAborted);
        }
        finally
        {
            hub.Unregister(subscriber);
        }
    }

    private static async Task ServeAsync(WebSocket socket, Subscriber subscriber, Caller caller, TimeProvider clock, CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var receive = ReceiveUntilClosedAsync(socket, subscriber, stop.Token);
        using var expiry = caller.Expires is { } expires
            ? clock.CreateTimer(_ => subscriber.Close(CloseCodes.TokenExpired, "token expired: reconnect with a fresh token and your last cursor"), null, Max(expires - clock.GetUtcNow(), TimeSpan.Zero), Timeout.InfiniteTimeSpan)
            : null;
        using (aborted.Register(static s => ((Subscriber)s!).Close(CloseCodes.ShuttingDown, "connection ended"), subscriber))
        {
            await subscriber.Closed;
        }

        if (subscriber.CloseRequest is { } close && socket.State == WebSocketState.Open)
        {
            await CloseAsync(socket, close.Code, close.Reason);
            try
            {
                // Wait for the client's close reply: aborting now could reset the connection before it reads our close code.
                await receive.WaitAsync(CloseTimeout, clock, aborted);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
            }
        }

        await stop.CancelAsync();
        await receive;
    }

    /// <summary>
    /// Reads (and ignores) client frames so pings and close frames are processed; the client closing or the connection
    /// ending closes the subscriber. Clients send no data, so a few bytes of buffer suffice.
    /// </summary>
    private static async Task ReceiveUntilClosedAsync(WebSocket socket, Subscriber subscriber, CancellationToken stop)
    {
        var buffer = new byte[ReceiveBufferBytes];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), stop);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        // Complete the client's close handshake so it sees a clean close.
                        await CloseAsync(socket, (int)WebSocketCloseStatus.NormalClosure, "bye");
                    }

                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
        }

        subscriber.Close(CloseCodes.ShuttingDown, "connection ended");
    }

    /// <summary>Accepts only to send close 4000 with the reason, which is how clients learn a refusal is not a network error.</summary>
    private static async Task RefuseAsync(HttpContext context, string reason)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await CloseAsync(socket, CloseCodes.Rejected, reason);
    }

    private static Task TooManyAsync(HttpContext context, string message) =>
        ApiErrors.Error(StatusCodes.Status429TooManyRequests, message).ExecuteAsync(context);

    private static async Task CloseAsync(WebSocket socket, int code, string reason)
    {
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            // A close reason is at most 123 bytes on the wire.
            var trimmed = reason.Length > 120 ? reason[..120] : reason;
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, trimmed, timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
