using System.Net.Sockets;
using System.Security.Cryptography;

namespace Wavelet.DataPlane.Tests;

/// <summary>A client that stops reading is cut with 4002 without holding back the other clients of the same query.</summary>
public sealed class SlowConsumerTests(RisingWaveFixture rw, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<RisingWaveFixture>
{
    private const int QueueBound = 256 * 1024;
    private const int MaxInserts = 10;

    [Fact]
    public async Task A_client_that_never_reads_is_closed_with_4002_while_a_fast_client_gets_every_diff()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, configure: c => c.Limits.MaxQueuedBytesPerConnection = QueueBound);
        await using var fast = await server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await using var slow = await ConnectWithTinyReceiveBufferAsync(server, "per_item", DataPlaneServer.Token("a"));
        await fast.ReceiveTypeAsync("snapshot");

        // One epoch bigger than every buffer between the server and a client that does not read (kernel socket buffers
        // of a few MiB): the slow socket's send stalls inside it, the fast client takes it at once.
        await InsertBigEpochAsync(server, rows: 96, bytesPerRow: 64 * 1024);
        var big = await fast.ReceiveTypeAsync("diff");
        Assert.Equal(96, big.GetProperty("inserted").GetArrayLength());

        // Every further diff queues behind the stalled one on the slow socket and passes its bound at once.
        var inserted = new List<string>();
        var received = new List<string>();
        while (await server.CounterAsync("wavelet_slow_consumer_disconnects_total", "per_item") == 0)
        {
            Assert.True(inserted.Count < MaxInserts, $"no slow-consumer disconnect after {MaxInserts} more diffs");
            var item = $"small{inserted.Count:D2}";
            await server.InsertAsync("a", item, 1);
            inserted.Add(item);
            received.AddRange(Inserted(await fast.ReceiveTypeAsync("diff")));
        }

        output.WriteLine($"cut after {inserted.Count} small inserts after the big epoch");
        await server.InsertAsync("a", "after", 1);
        inserted.Add("after");
        received.AddRange(Inserted(await fast.ReceiveTypeAsync("diff")));
        Assert.Equal(inserted, received);
        Assert.Equal(1, await server.CounterAsync("wavelet_slow_consumer_disconnects_total", "per_item"));

        // The slow client finally reads: what was already on the wire, then the slow-consumer close.
        var messages = 0;
        while (await slow.ReceiveAsync() is not null)
        {
            messages++;
        }

        Assert.Equal(CloseCodes.SlowConsumer, (int)slow.Socket.CloseStatus!);
        Assert.Contains("cursor", slow.Socket.CloseStatusDescription, StringComparison.Ordinal);
        Assert.True(messages <= 3, $"the slow client was cut before the later diffs, yet got {messages} messages");
    }

    [Fact]
    public async Task A_client_that_falls_behind_and_catches_up_gets_every_diff_in_order()
    {
        await using var server = await DataPlaneServer.StartAsync(rw, configure: c => c.Limits.MaxQueuedBytesPerConnection = 64 * 1024 * 1024);
        await using var fast = await server.ConnectAsync("per_item", DataPlaneServer.Token("a"));
        await using var behind = await ConnectWithTinyReceiveBufferAsync(server, "per_item", DataPlaneServer.Token("a"));
        await fast.ReceiveTypeAsync("snapshot");

        // The big epoch stalls the socket of the client that does not read; the small ones queue behind it and are
        // written in batches once it reads again.
        await InsertBigEpochAsync(server, rows: 96, bytesPerRow: 64 * 1024);
        await fast.ReceiveTypeAsync("diff");
        var inserted = Enumerable.Range(0, 40).Select(i => $"later{i:D2}").ToList();
        foreach (var item in inserted)
        {
            await server.InsertAsync("a", item, 1);
        }

        var fastItems = new List<string>();
        while (fastItems.Count < inserted.Count)
        {
            fastItems.AddRange(Inserted(await fast.ReceiveTypeAsync("diff")));
        }

        Assert.Equal(inserted, fastItems);
        await behind.ReceiveTypeAsync("snapshot");
        Assert.Equal(96, (await behind.ReceiveTypeAsync("diff")).GetProperty("inserted").GetArrayLength());
        var behindItems = new List<string>();
        long lastCursor = 0;
        while (behindItems.Count < inserted.Count)
        {
            var diff = await behind.ReceiveAsync() ?? throw new InvalidOperationException("the socket closed before every diff arrived");
            Assert.Equal("diff", diff.GetProperty("type").GetString());
            var cursor = long.Parse(diff.GetProperty("cursor").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(cursor > lastCursor, $"cursor {cursor} after {lastCursor}");
            lastCursor = cursor;
            behindItems.AddRange(Inserted(diff));
        }

        Assert.Equal(inserted, behindItems);
        Assert.Equal(WebSocketState.Open, behind.Socket.State);
        Assert.Equal(0, await server.CounterAsync("wavelet_slow_consumer_disconnects_total", "per_item"));
    }

    /// <summary>
    /// A WebSocket over a TCP socket whose receive buffer is pinned small (the kernel would otherwise grow it to MiBs
    /// for a client that does not read), so the server's send queue is what fills up.
    /// </summary>
    private static async Task<LiveSocket> ConnectWithTinyReceiveBufferAsync(DataPlaneServer server, string query, string token)
    {
        var tcp = new TcpClient { ReceiveBufferSize = 4096 };
        await tcp.ConnectAsync(server.BaseUri.Host, server.BaseUri.Port);
        var stream = tcp.GetStream();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET /subscribe/{query}?token={Uri.EscapeDataString(token)} HTTP/1.1\r\nHost: {server.BaseUri.Authority}\r\n"
            + $"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        // Read the response head byte by byte so no frame bytes after it are consumed.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await stream.ReadAsync(one));
            head.Append((char)one[0]);
        }

        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
        return new LiveSocket(WebSocket.CreateFromStream(stream, isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan));
    }

    private static async Task InsertBigEpochAsync(DataPlaneServer server, int rows, int bytesPerRow)
    {
        await using var db = server.Rw.CreateDataSource();
        await using var command = db.CreateCommand(
            $"INSERT INTO {server.Schema}.orders SELECT 'a', 'big' || g || '-' || repeat('x', $2), 1 FROM generate_series(1, $1) g");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = rows });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = bytesPerRow });
        await command.ExecuteNonQueryAsync();
        await server.Rw.Simulator!.BarrierAsync();
    }

    private static List<string> Inserted(JsonElement diff) =>
        diff.GetProperty("inserted").EnumerateArray().Select(r => r.GetProperty("item").GetString()!).ToList();
}
