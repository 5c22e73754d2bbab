using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Wavelet.Cli.Tests;

/// <summary>A WebSocket client of the public protocol: connect to /subscribe/{query} and read JSON messages.</summary>
internal sealed class LiveSocket : IDisposable
{
    private readonly ClientWebSocket _socket = new();

    public WebSocketState State => _socket.State;

    public static async Task<LiveSocket> ConnectAsync(Uri baseUrl, string query, string? token)
    {
        var socket = new LiveSocket();
        var url = new UriBuilder(baseUrl) { Scheme = "ws", Path = $"/subscribe/{query}", Query = token is null ? "" : $"token={token}" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket._socket.ConnectAsync(url, timeout.Token);
        return socket;
    }

    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancel.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"socket closed: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone();
            }
        }
    }

    /// <summary>Reads until a message of <paramref name="type"/> arrives.</summary>
    public async Task<JsonElement> ReceiveAsync(string type)
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

    public void Dispose() => _socket.Dispose();
}
