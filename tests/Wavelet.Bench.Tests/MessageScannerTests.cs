using System.Text;
using System.Text.Json;
using Wavelet.Bench.Clients;

namespace Wavelet.Bench.Tests;

public class MessageScannerTests
{
    [Fact]
    public void Diff_latency_is_measured_from_each_inserted_and_updated_rows_write_time()
    {
        var latency = new LatencyHistogram();
        var json = """
            {"type":"diff","query":"q","cursor":"1700000000000",
             "inserted":[{"tenant":"t1","written_at":1000,"payload":"x"}],
             "updated":[{"tenant":"t1","written_at":4000,"nested":{"written_at":1}}],
             "deleted":[{"tenant":"t1","written_at":10}]}
            """;

        var message = MessageScanner.Scan(Encoding.UTF8.GetBytes(json), "written_at", 11_000, latency);

        Assert.Equal(MessageKind.Diff, message.Kind);
        Assert.Equal("1700000000000", message.Cursor);
        Assert.Equal(3, message.Rows);
        Assert.Equal(2, message.TimedRows);
        Assert.Equal(2, latency.Count);
        Assert.Equal(10, latency.MaxMs);
    }

    [Fact]
    public void A_bigint_write_time_is_read_in_both_value_shapes_string_and_number()
    {
        var latency = new LatencyHistogram();
        var json = """{"type":"diff","query":"q","cursor":"1","inserted":[{"written_at":"1000"},{"written_at":3000},{"written_at":"12x"}],"updated":[],"deleted":[]}""";

        var message = MessageScanner.Scan(Encoding.UTF8.GetBytes(json), "written_at", 11_000, latency);

        Assert.Equal(3, message.Rows);
        Assert.Equal(2, message.TimedRows);
        Assert.Equal(10, latency.MaxMs);
    }

    [Fact]
    public void Snapshot_rows_are_counted_but_not_timed()
    {
        var latency = new LatencyHistogram();
        var json = """{"type":"snapshot","query":"q","rows":[{"written_at":1},{"written_at":2}]}""";

        var message = MessageScanner.Scan(Encoding.UTF8.GetBytes(json), "written_at", 10, latency);

        Assert.Equal(MessageKind.Snapshot, message.Kind);
        Assert.Equal(2, message.Rows);
        Assert.Equal(0, latency.Count);
    }

    [Fact]
    public void Connected_and_unknown_messages_are_recognised()
    {
        Assert.Equal(MessageKind.Connected, MessageScanner.Scan("""{"type":"connected","query":"q"}"""u8, "written_at", 0, null).Kind);
        Assert.Equal(MessageKind.Other, MessageScanner.Scan("""{"type":"error","error":"x"}"""u8, "written_at", 0, null).Kind);
    }

    [Fact]
    public void A_message_that_is_not_an_object_is_rejected()
    {
        Assert.ThrowsAny<JsonException>(() => MessageScanner.Scan("[1,2]"u8, "written_at", 0, null));
    }
}
