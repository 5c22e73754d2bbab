using System.Globalization;
using System.Net.WebSockets;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Auth;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Fanout;
using Wavelet.DataPlane.Limits;
using Wavelet.DataPlane.Observability;
using Wavelet.DataPlane.Operations;

namespace Wavelet.DataPlane.Web;

/// <summary>
/// WS /subscribe/{query}?token=&amp;cursor=: authorise once, register with the query's hub (snapshot or replay from
/// memory), then pump the subscriber's bounded queue to the socket until it closes, the token expires or the server drains.
/// </summary>
public static class SubscribeEndpoint
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    public static void Map(WebApplication app) => app.Map("/subscribe/{name}", HandleAsync);

    private static async Task HandleAsync(string name, HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = "this route needs a WebSocket upgrade" }, context.RequestAborted);
            return;
        }

        var services = context.RequestServices;
        if (services.GetRequiredService<DrainState>().IsDraining)
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsJsonAsync(new { error = "server is shutting down: reconnect with your last cursor" }, context.RequestAborted);
            return;
        }

        var holder = services.GetRequiredService<ConfigHolder>();
        var config = holder.Current;
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
        var hub = services.GetRequiredService<HubRegistry>().Find(name);
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
        var connections = services.GetRequiredService<ConnectionTracker>();
        connections.Add(name, subscriber);
        hub.Register(subscriber, cursor);
        if (AccessChanges.RequiresReconnect(config, holder.Current, name))
        {
            // A reload changed the rules this socket was authorised under after it read them.
            subscriber.Close(CloseCodes.ConfigChanged, AccessChanges.Reason);
        }

        try
        {
            await PumpAsync(socket, subscriber, caller, hub.Metrics, name, services.GetRequiredService<TimeProvider>(), context.RequestAborted);
        }
        finally
        {
            hub.Unregister(subscriber);
            connections.Remove(name, subscriber);
        }
    }

    private static async Task PumpAsync(WebSocket socket, Subscriber subscriber, Caller caller, DataPlaneMetrics metrics, string query, TimeProvider clock, CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var receive = ReceiveUntilClosedAsync(socket, stop);
        using var expiry = caller.Expires is { } expires
            ? clock.CreateTimer(_ => subscriber.Close(CloseCodes.TokenExpired, "token expired: reconnect with a fresh token and your last cursor"), null, Max(expires - clock.GetUtcNow(), TimeSpan.Zero), Timeout.InfiniteTimeSpan)
            : null;
        // Resolved once per socket: a label lookup per message would run 10k times per epoch at full fan-out.
        var messagesSent = metrics.MessagesSent.WithLabels(query);
        var bytesSent = metrics.BytesSent.WithLabels(query);
        try
        {
            await foreach (var message in subscriber.Reader.ReadAllAsync(stop.Token))
            {
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, stop.Token);
                subscriber.Sent(message);
                messagesSent.Inc();
                bytesSent.Inc(message.Length);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            subscriber.Close(CloseCodes.ShuttingDown, "connection ended");
            return;
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

    /// <summary>Reads (and ignores) client frames so pongs and close frames are processed; ends the session on close.</summary>
    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token);
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
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }

        await stop.CancelAsync();
    }

    /// <summary>Accepts only to send close 4000 with the reason, which is how clients learn a refusal is not a network error.</summary>
    private static async Task RefuseAsync(HttpContext context, string reason)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await CloseAsync(socket, CloseCodes.Rejected, reason);
    }

    private static async Task TooManyAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await context.Response.WriteAsJsonAsync(new { error = message }, context.RequestAborted);
    }

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
