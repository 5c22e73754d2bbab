namespace Wavelet.Engine;

public sealed class LocalEngineOptions
{
    /// <summary>PostgreSQL database the simulator stores everything in; null creates a fresh database on the shared test server.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>How often a barrier turns committed writes into an epoch of changes (RisingWave: 1 s).</summary>
    public TimeSpan BarrierInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether ALTER SUBSCRIPTION ... SET RETENTION is accepted (newer RisingWave releases only).</summary>
    public bool SupportsAlterSubscriptionRetention { get; set; } = true;

    /// <summary>Loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Clock for epochs, retention and FETCH timeouts.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
