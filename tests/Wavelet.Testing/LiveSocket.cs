using System.Net.WebSockets;

namespace Wavelet.Testing;

/// <summary>A client of the data plane's WebSocket protocol: connects to /subscribe/{query} and reads whole JSON messages.</summary>
public sealed class LiveSocket(WebSocket socket) : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    public WebSocket Socket { get; } = socket;

    public static async Task<LiveSocket> ConnectAsync(Uri baseUri, string query, string? token, long? cursor = null)
    {
        var parameters = new List<string>();
        if (token is not null)
        {
            parameters.Add("token=" + Uri.EscapeDataString(token));
        }

        if (cursor is not null)
        {
            parameters.Add("cursor=" + cursor.Value.ToString(CultureInfo.InvariantCulture));
        }

        var uri = new UriBuilder(baseUri) { Scheme = "ws", Path = $"/subscribe/{query}", Query = string.Join('&', parameters) }.Uri;
        var client = new ClientWebSocket();
        try
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            await client.ConnectAsync(uri, timeout.Token);
            return new LiveSocket(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The next message, or null once the server closed the socket.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            }
        }
    }

    /// <summary>The next message; fails when the server closes the socket instead.</summary>
    public async Task<JsonElement> ReceiveMessageAsync(TimeSpan? timeout = null) =>
        await ReceiveAsync(timeout) ?? throw ClosedBefore("a message");

    /// <summary>Skips messages (e.g. heartbeats) until one of <paramref name="type"/> arrives; fails if the socket closes first.</summary>
    public async Task<JsonElement> ReceiveTypeAsync(string type)
    {
        while (true)
        {
            var message = await ReceiveAsync() ?? throw ClosedBefore("a " + type);
            if (message.GetProperty("type").GetString() == type)
            {
                return message;
            }
        }
    }

    /// <summary>
    /// Asserts that the server closes the socket next, sending nothing else first, with <paramref name="code"/> and (when
    /// given) a reason containing <paramref name="reason"/>.
    /// </summary>
    public async Task AssertClosedAsync(int code, string? reason = null)
    {
        var message = await ReceiveAsync();
        Assert.True(message is null, $"expected the server to close with {code}, got {message}");
        Assert.Equal(code, (int)Socket.CloseStatus!);
        if (reason is not null)
        {
            Assert.Contains(reason, Socket.CloseStatusDescription, StringComparison.Ordinal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // The server went away without a close handshake (a test that stopped it): nothing is left to close.
            }
        }

        Socket.Dispose();
    }

    private InvalidOperationException ClosedBefore(string what) =>
        new($"socket closed ({Socket.CloseStatus} {Socket.CloseStatusDescription}) before {what}");
}
