using System.Net;
using System.Net.Sockets;

namespace Wavelet.Testing;

/// <summary>A loopback TCP port nothing listens on at the moment of the call.</summary>
public static class FreePort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
