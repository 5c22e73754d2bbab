using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Wavelet.DataPlane.Feed;

namespace Wavelet.Bench.Micro;

/// <summary>
/// The baseline the data plane replaces (upstream Wavelet's approach): for every subscriber, filter the epoch's rows
/// by its tenant and serialise its own diff message, then queue it. Work grows with rows × subscribers.
/// </summary>
public sealed class NaiveFanout
{
    private readonly List<(string Tenant, Channel<byte[]> Queue)> _subscribers;

    public NaiveFanout(IEnumerable<string> tenantPerSubscriber) =>
        _subscribers = [.. tenantPerSubscriber.Select(t => (t, Channel.CreateUnbounded<byte[]>()))];

    public long Deliver(long cursor, IReadOnlyList<Change> changes)
    {
        long bytes = 0;
        foreach (var (tenant, queue) in _subscribers)
        {
            var visible = changes.Where(c => (string?)c.Row.Values[0] == tenant).ToList();
            if (visible.Count == 0)
            {
                continue;
            }

            var message = Serialize(cursor, visible);
            queue.Writer.TryWrite(message);
            bytes += message.Length;
        }

        return bytes;
    }

    public int Drain()
    {
        var drained = 0;
        foreach (var (_, queue) in _subscribers)
        {
            while (queue.Reader.TryRead(out _))
            {
                drained++;
            }
        }

        return drained;
    }

    private static byte[] Serialize(long cursor, List<Change> changes)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "diff");
            writer.WriteString("query", "q");
            writer.WriteString("cursor", cursor.ToString(CultureInfo.InvariantCulture));
            foreach (var (name, ops) in new[] { ("inserted", RowOp.Insert), ("updated", RowOp.UpdateInsert) })
            {
                writer.WriteStartArray(name);
                foreach (var change in changes.Where(c => c.Op == ops))
                {
                    writer.WriteRawValue(change.Row.Json, skipInputValidation: true);
                }

                writer.WriteEndArray();
            }

            writer.WriteStartArray("deleted");
            foreach (var change in changes.Where(c => !c.Op.Adds()))
            {
                writer.WriteRawValue(change.Row.Json, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
