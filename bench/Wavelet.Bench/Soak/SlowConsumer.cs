using Wavelet.Bench.Clients;

namespace Wavelet.Bench.Soak;

/// <summary>
/// A client that subscribes and then stops reading for a while, as a stalled app would; afterwards it reads what is left
/// and reports how the connection ended (closed 4002 when its send queue passed the bound).
/// </summary>
public static class SlowConsumer
{
    public static async Task<string> RunAsync(Uri address, string path, TimeSpan stall, CancellationToken ct)
    {
        try
        {
            using var socket = await RawWebSocket.ConnectAsync(address, path, ct);
            await Task.Delay(stall, ct); // allowed: the stall is the fault being injected
            using var drain = CancellationTokenSource.CreateLinkedTokenSource(ct);
            drain.CancelAfter(stall);
            try
            {
                var code = await socket.ReceiveAsync(_ => { }, drain.Token);
                return code is { } c ? "closed " + c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "ended without a close frame";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return "still open (queue stayed under the bound)";
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            return "connection failed";
        }
    }
}
