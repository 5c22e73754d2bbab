namespace Wavelet.DataPlane.Fanout;

/// <summary>WebSocket close codes (documented in docs/protocol.md). 4000 and 1001 are upstream Wavelet's.</summary>
public static class CloseCodes
{
    public const int ShuttingDown = 1001;
    public const int Rejected = 4000;
    public const int TokenExpired = 4001;
    public const int SlowConsumer = 4002;
    public const int QueryRemoved = 4003;

    /// <summary>The query's filter or the auth settings changed in a config reload: reconnect to be authorised anew.</summary>
    public const int ConfigChanged = 4004;
}
