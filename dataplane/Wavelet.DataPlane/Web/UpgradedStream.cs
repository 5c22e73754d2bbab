using System.Buffers;
using System.IO.Pipelines;
using Wavelet.DataPlane.Fanout;

namespace Wavelet.DataPlane.Web;

/// <summary>
/// An upgraded connection's stream with one write lock shared by the WebSocket (its pings, pongs and close frame) and
/// the subscriber's writer (whole data frames), so frames never interleave. A batch of data frames goes straight into
/// the connection's transport pipe when Kestrel exposes it (one copy into the pipe's memory, one flush per batch),
/// else it is copied into one pooled buffer and written through the upgraded stream once.
/// </summary>
public sealed class UpgradedStream : Stream, IFrameSink
{
    // Above this a batch is written frame by frame rather than copied into one buffer.
    private const int MaxCoalescedBytes = 256 * 1024;
    private readonly Stream _inner;
    private readonly PipeWriter? _transport;
    private readonly SemaphoreSlim _write = new(1, 1);

    /// <param name="inner">The upgraded stream (Kestrel's HTTP/1.1 response and request body after the 101).</param>
    /// <param name="transport">
    /// The connection's output pipe under that stream, or null. The stream writes to this same pipe (and flushes every
    /// write), so writing data frames to it directly under the shared lock keeps the byte order of both writers.
    /// </param>
    public UpgradedStream(Stream inner, PipeWriter? transport = null)
    {
        _inner = inner;
        _transport = transport;
    }

    /// <summary>Whether data frames bypass the upgraded stream and go to the transport pipe.</summary>
    public bool WritesToTransport => _transport is not null;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public async ValueTask WriteAsync(List<byte[]> frames, long bytes, Subscriber owner, CancellationToken ct)
    {
        await _write.WaitAsync(ct);
        try
        {
            if (owner.IsClosed)
            {
                return;
            }

            if (_transport is { } pipe)
            {
                await WriteToTransportAsync(pipe, frames, ct);
                return;
            }

            if (frames.Count == 1 || bytes > MaxCoalescedBytes)
            {
                foreach (var frame in frames)
                {
                    await _inner.WriteAsync(frame, ct);
                }

                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent((int)bytes);
            try
            {
                var offset = 0;
                foreach (var frame in frames)
                {
                    frame.CopyTo(buffer, offset);
                    offset += frame.Length;
                }

                await _inner.WriteAsync(buffer.AsMemory(0, offset), ct);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>
    /// Waits until no write is running. Called once the subscriber is closed (so no later data write starts) and before
    /// the request ends: Kestrel completes the transport pipe then, and a direct write must not race that.
    /// </summary>
    public async ValueTask<bool> WaitForWritesAsync(TimeSpan timeout)
    {
        if (!await _write.WaitAsync(timeout))
        {
            return false;
        }

        _write.Release();
        return true;
    }

    private static async ValueTask WriteToTransportAsync(PipeWriter pipe, List<byte[]> frames, CancellationToken ct)
    {
        foreach (var frame in frames)
        {
            pipe.Write(frame);
        }

        var flushed = await pipe.FlushAsync(ct);
        if (flushed.IsCompleted || flushed.IsCanceled)
        {
            // The socket's reader is gone: the connection ended under us.
            throw new IOException("the connection's transport stopped reading");
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _write.WaitAsync(cancellationToken);
        try
        {
            await _inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _write.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _write.Wait();
        try
        {
            _inner.Write(buffer, offset, count);
        }
        finally
        {
            _write.Release();
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _write.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        _write.Dispose();
        await base.DisposeAsync();
    }
}
