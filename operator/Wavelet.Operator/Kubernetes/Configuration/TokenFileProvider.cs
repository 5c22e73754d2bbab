using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wavelet.Operator.Kubernetes.Configuration;

/// <summary>
/// A token read from a file that something else rotates (kubelet-projected service-account tokens, kubeconfig tokenFile):
/// re-read when older than <see cref="RefreshInterval"/> or after a 401; on a failed read the last good token is kept.
/// </summary>
public sealed class TokenFileProvider : ITokenProvider, IDisposable
{
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public TokenFileProvider(string path, TimeSpan? refreshInterval = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _path = path;
        RefreshInterval = refreshInterval ?? TimeSpan.FromMinutes(1);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public TimeSpan RefreshInterval { get; }

    public string Path => _path;

    public void Dispose() => _gate.Dispose();

    public async ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!forceRefresh && _token is not null && now - _readAt < RefreshInterval)
        {
            return _token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            try
            {
                var text = (await File.ReadAllTextAsync(_path, cancellationToken)).Trim();
                if (text.Length > 0)
                {
                    _token = text;
                }
            }
            catch (IOException ex) when (_token is not null)
            {
                _logger.LogWarning(ex, "Could not re-read the token file {Path}; keeping the last token", _path);
            }
            catch (UnauthorizedAccessException ex) when (_token is not null)
            {
                _logger.LogWarning(ex, "Could not re-read the token file {Path}; keeping the last token", _path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new KubeConfigException($"Cannot read the bearer token file '{_path}': {ex.Message}. Check that the file exists and is readable.", ex);
            }

            _readAt = now;
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }
}
