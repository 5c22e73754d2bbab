using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Feed;

namespace Wavelet.Cli.Dev;

/// <summary>
/// Yields the project file's content each time it changes (by checksum): on file-system notifications for its
/// directory and on a periodic poll as a safety net. Notifications that end or fail are restarted after a backoff on
/// the injected clock (never in a tight loop) while polling goes on; a completed channel is never read again.
/// </summary>
public sealed class ProjectWatcher
{
    private readonly string _path;
    private readonly IConfigChangeTriggers _triggers;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _pollInterval;
    private readonly Backoff _backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    private int _sourceStarts;

    public ProjectWatcher(string path, IConfigChangeTriggers triggers, TimeProvider clock, TimeSpan pollInterval)
    {
        _path = path;
        _triggers = triggers;
        _clock = clock;
        _pollInterval = pollInterval;
    }

    /// <summary>How often the notification source was (re)started.</summary>
    public int SourceStarts => Volatile.Read(ref _sourceStarts);

    /// <summary>Raised when notifications failed or ended, before they are restarted.</summary>
    public event Action<string>? NotificationsLost;

    /// <summary>The file's bytes after each change, starting from <paramref name="initialChecksum"/>; unreadable states are skipped.</summary>
    public async IAsyncEnumerable<byte[]> ChangesAsync(string initialChecksum, [EnumeratorCancellation] CancellationToken ct)
    {
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var poll = _clock.CreateTimer(_ => wake.Writer.TryWrite(true), null, _pollInterval, _pollInterval);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var notifications = ForwardNotificationsAsync(wake.Writer, stop.Token);
        var last = initialChecksum;
        try
        {
            while (await WaitAsync(wake.Reader, ct))
            {
                wake.Reader.TryRead(out _);
                byte[]? bytes;
                try
                {
                    bytes = await File.ReadAllBytesAsync(_path, ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue; // mid-rename or deleted for a moment: the next notification or poll reads it again
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    bytes = null;
                }

                if (bytes is null)
                {
                    break;
                }

                if (bytes.Length == 0)
                {
                    continue; // an editor truncated the file and is about to write it: wait for the write
                }

                var checksum = Checksum(bytes);
                if (checksum == last)
                {
                    continue;
                }

                last = checksum;
                yield return bytes;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await notifications;
        }
    }

    public static string Checksum(byte[] content) => Convert.ToHexString(SHA256.HashData(content));

    private static async Task<bool> WaitAsync(ChannelReader<bool> reader, CancellationToken ct)
    {
        try
        {
            return await reader.WaitToReadAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task ForwardNotificationsAsync(ChannelWriter<bool> wake, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (Interlocked.Increment(ref _sourceStarts) > 1)
            {
                wake.TryWrite(true); // changes made while notifications were down
            }

            string lost;
            try
            {
                await foreach (var _ in _triggers.WatchAsync(_path, ct))
                {
                    _backoff.Reset();
                    wake.TryWrite(true);
                }

                lost = "change notifications ended";
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // any failure of the notification source is reported and falls back to polling
            catch (Exception e)
#pragma warning restore CA1031
            {
                lost = $"change notifications failed ({e.Message})";
            }

            // The backoff timer exists before anyone hears of the loss, so a listener that moves the clock on
            // (a test's fake clock) always moves this timer too.
            var backoff = Task.Delay(_backoff.Next(), _clock, ct);
            NotificationsLost?.Invoke(lost);
            try
            {
                await backoff;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
