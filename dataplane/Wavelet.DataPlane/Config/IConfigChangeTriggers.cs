namespace Wavelet.DataPlane.Config;

/// <summary>
/// Tells the config watcher that the file may have changed (it then compares checksums). The sequence runs until
/// cancelled; ending or throwing means notifications are lost, and the watcher restarts it after a backoff.
/// </summary>
public interface IConfigChangeTriggers
{
    /// <summary>Yields a short description of each notification (e.g. the directory entry that changed).</summary>
    IAsyncEnumerable<string> WatchAsync(string path, CancellationToken ct);
}
