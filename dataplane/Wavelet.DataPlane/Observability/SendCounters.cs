using System.Diagnostics.Metrics;

namespace Wavelet.DataPlane.Observability;

/// <summary>The messages and bytes counters of one query, recorded once per written batch.</summary>
public readonly record struct SendCounters(Counter<long> Messages, Counter<long> Bytes, KeyValuePair<string, object?> Query)
{
    public void Record(int messages, long bytes)
    {
        Messages.Add(messages, Query);
        Bytes.Add(bytes, Query);
    }
}
