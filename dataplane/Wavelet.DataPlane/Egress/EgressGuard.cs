using System.Net;
using System.Net.Sockets;

namespace Wavelet.DataPlane.Egress;

/// <summary>
/// Refuses outgoing connections to addresses a project should not reach through the data plane (SSRF). The check runs on
/// the address actually connected to, after DNS resolution, so a name that resolves to a forbidden address (or is
/// re-pointed to one after a first check: DNS rebinding) is refused too.
/// </summary>
public static class EgressGuard
{
    /// <summary>Why <paramref name="address"/> is refused under <paramref name="options"/>; null when it is allowed.</summary>
    public static string? RefusalReason(IPAddress address, EgressOptions options)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return "an unspecified or broadcast address";
        }

        if (IPAddress.IsLoopback(address))
        {
            return options.AllowLoopback ? null : "a loopback address (the pod itself)";
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                169 when b[1] == 254 => "a link-local address (cloud metadata services live here)",
                0 => "an unspecified address",
                >= 224 => "a multicast or reserved address",
                10 => Private(options),
                172 when b[1] is >= 16 and <= 31 => Private(options),
                192 when b[1] == 168 => Private(options),
                100 when b[1] is >= 64 and <= 127 => Private(options),
                _ => null,
            };
        }

        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return "a link-local address (cloud metadata services live here)";
        }

        if (address.IsIPv6Multicast)
        {
            return "a multicast address";
        }

        return (address.GetAddressBytes()[0] & 0xFE) == 0xFC ? Private(options) : null;
    }

    /// <summary>A handler that connects only to allowed addresses and never follows redirects.</summary>
    public static SocketsHttpHandler CreateHandler(EgressOptions options) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxResponseHeadersLength = 64,
        ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, options, ct),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, EgressOptions options, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endPoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, ct);
        var allowed = addresses.Where(a => RefusalReason(a, options) is null).ToList();
        if (allowed.Count == 0)
        {
            var refused = addresses.FirstOrDefault();
            throw new HttpRequestException(refused is null
                ? $"{endPoint.Host} has no address to connect to"
                : $"refused to connect to {endPoint.Host}: {refused} is {RefusalReason(refused, options)}; the data plane does not call such addresses (see docs/security.md, \"Outgoing requests\")");
        }

        for (var i = 0; ; i++)
        {
            var socket = new Socket(allowed[i].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(allowed[i], endPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException) when (i < allowed.Count - 1)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    private static string? Private(EgressOptions options) =>
        options.AllowPrivateNetworks ? null : "a private or cluster address (allow it with the operator's dataPlane.egress.allowPrivateNetworks)";
}
