using System.Security.Cryptography;
using System.Text;

namespace Wavelet.DataPlane.Limits;

/// <summary>
/// Counts open WebSockets per client address and per token, so one client cannot hold thousands of sockets (and their
/// queues). A slot is taken before the upgrade and given back when the socket ends.
/// </summary>
public sealed class ConnectionLimits
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>A slot for <paramref name="address"/>; null when it already holds <paramref name="cap"/> sockets (0: no cap).</summary>
    public Slot? TryAcquireAddress(string address, int cap) => TryAcquire("a:" + address, cap);

    /// <summary>A slot for a token, counted by its hash (the token itself is not kept); null at the cap (0: no cap).</summary>
    public Slot? TryAcquireToken(string token, int cap) =>
        TryAcquire("t:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))), cap);

    /// <summary>Open sockets counted for an address (for tests and diagnostics).</summary>
    public int OpenFor(string address)
    {
        lock (_lock)
        {
            return _open.GetValueOrDefault("a:" + address);
        }
    }

    private Slot? TryAcquire(string key, int cap)
    {
        lock (_lock)
        {
            var open = _open.GetValueOrDefault(key);
            if (cap > 0 && open >= cap)
            {
                return null;
            }

            _open[key] = open + 1;
        }

        return new Slot(this, key);
    }

    private void Release(string key)
    {
        lock (_lock)
        {
            if (_open.TryGetValue(key, out var open) && open > 1)
            {
                _open[key] = open - 1;
            }
            else
            {
                _open.Remove(key);
            }
        }
    }

    /// <summary>One counted socket; disposing gives the slot back (once).</summary>
    public sealed class Slot(ConnectionLimits owner, string key) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(key);
            }
        }
    }
}
