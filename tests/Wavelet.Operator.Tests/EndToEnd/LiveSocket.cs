using System.Net.WebSockets;
using System.Text.Json;

namespace Wavelet.Operator.Tests.EndToEnd;

/// <summary>A WebSocket client that reads whole JSON messages from a data-plane subscription.</summary>
internal sealed class LiveSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    public static async Task<LiveSocket> ConnectAsync(Uri baseUri, string query, string token)
    {
        var uri = new UriBuilder(baseUri) { Scheme = "ws", Path = $"/subscribe/{query}", Query = "token=" + Uri.EscapeDataString(token) }.Uri;
        var socket = new LiveSocket();
        await socket._socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    /// <summary>The next whole message; fails when the server closes the socket or 20 s pass.</summary>
    public async Task<JsonElement> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"socket closed ({_socket.CloseStatus} {_socket.CloseStatusDescription})");
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }

    /// <summary>Skips messages (e.g. heartbeats) until one of <paramref name="type"/> arrives.</summary>
    public async Task<JsonElement> ReceiveTypeAsync(string type)
    {
        while (true)
        {
            var message = await ReceiveAsync();
            if (message.GetProperty("type").GetString() == type)
            {
                return message;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }

        _socket.Dispose();
    }
}
