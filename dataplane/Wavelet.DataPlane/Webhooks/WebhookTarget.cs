using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Feed;
using Wavelet.DataPlane.Observability;

namespace Wavelet.DataPlane.Webhooks;

/// <summary>
/// One query's webhook: a bounded queue of diff bodies and one sender loop that POSTs them strictly in order, each
/// retried (jittered exponential backoff) on network errors, timeouts, 5xx and 429 until delivered or given up.
/// </summary>
internal sealed class WebhookTarget : IAsyncDisposable
{
    private readonly string _query;
    private readonly Uri _url;
    private readonly string _shownUrl;
    private readonly byte[] _key;
    private readonly HttpClient _http;
    private readonly WebhookOptions _options;
    private readonly DataPlaneMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Channel<byte[]> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _dropLock = new();
    private long _droppedInARow;
    private Task _loop = Task.CompletedTask;

    public WebhookTarget(string query, WebhookConfig config, byte[] key, HttpClient http, WebhookOptions options, DataPlaneMetrics metrics, TimeProvider clock, ILogger logger)
    {
        _query = query;
        Config = config;
        _url = new Uri(config.Url, UriKind.Absolute);
        _shownUrl = $"{_url.Scheme}://{_url.Authority}{_url.AbsolutePath}"; // logs never show credentials or query tokens
        _key = key;
        _http = http;
        _options = options;
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public WebhookConfig Config { get; }

    private void RecordDelivery(string result, long count) =>
        _metrics.WebhookDeliveries.Add(count, DataPlaneMetrics.Query(_query), new KeyValuePair<string, object?>("result", result));

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Queues a body without ever waiting; a full queue drops it (counted and logged).</summary>
    public void Offer(byte[] body)
    {
        if (_queue.Writer.TryWrite(body))
        {
            lock (_dropLock)
            {
                if (_droppedInARow > 0)
                {
                    _logger.WebhookAcceptsAgain(_query, _droppedInARow);
                    _droppedInARow = 0;
                }
            }

            return;
        }

        RecordDelivery(WebhookResults.Dropped, 1);
        lock (_dropLock)
        {
            if (_droppedInARow++ == 0)
            {
                _logger.WebhookQueueFull(_query, _options.QueueCapacity, _shownUrl);
            }
        }
    }

    /// <summary>Stops accepting, cancels the delivery in flight and discards queued diffs (counted as dropped).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var inFlight = false;
        try
        {
            await foreach (var body in _queue.Reader.ReadAllAsync(ct))
            {
                inFlight = true;
                var delivered = await DeliverAsync(body, ct);
                inFlight = false;
                RecordDelivery(delivered ? WebhookResults.Ok : WebhookResults.Failed, 1);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            if (inFlight)
            {
                RecordDelivery(WebhookResults.Dropped, 1);
                _logger.WebhookStoppedInFlight(_query, _shownUrl);
            }
        }
#pragma warning disable CA1031 // a sender's bug is logged; its queued diffs are then dropped and counted
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.WebhookSenderFailed(e, _query);
        }

        var discarded = 0;
        while (_queue.Reader.TryRead(out _))
        {
            discarded++;
        }

        if (discarded > 0)
        {
            RecordDelivery(WebhookResults.Dropped, discarded);
            _logger.WebhookDiscarded(_query, discarded);
        }
    }

    /// <summary>True once the receiver answered 2xx; false when it refused (4xx other than 429) or every attempt failed.</summary>
    private async Task<bool> DeliverAsync(byte[] body, CancellationToken ct)
    {
        var backoff = new Backoff(_options.RetryInitial, _options.RetryMax);
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            var retryAfter = TimeSpan.Zero;
            try
            {
                (var status, retryAfter) = await PostAsync(body, ct);
                if ((int)status is >= 200 and < 300)
                {
                    return true;
                }

                if (!IsRetryable(status))
                {
                    _logger.WebhookRefused(_query, _shownUrl, (int)status);
                    return false;
                }

                failure = $"HTTP {(int)status}";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = $"no response within {_options.RequestTimeout}";
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }

            if (attempt >= _options.MaxAttempts)
            {
                _logger.WebhookGaveUp(_query, attempt, _shownUrl, failure);
                return false;
            }

            // A receiver's Retry-After is honoured up to RetryMax, so one header cannot park the queue for long.
            var delay = TimeSpan.FromTicks(Math.Max(backoff.Next().Ticks, Math.Min(retryAfter.Ticks, _options.RetryMax.Ticks)));
            _logger.WebhookRetrying(_query, attempt, _shownUrl, failure, delay);
            await Task.Delay(delay, _clock, ct);
        }
    }

    private async Task<(HttpStatusCode Status, TimeSpan RetryAfter)> PostAsync(byte[] body, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        // Signed per attempt, so a retry carries a fresh timestamp and a receiver's replay window never refuses it.
        var timestamp = WebhookSignature.Timestamp(_clock.GetUtcNow());
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(_key, timestamp, body));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _clock.GetUtcNow(),
            _ => TimeSpan.Zero,
        };
        return (response.StatusCode, retryAfter);
    }

    private static bool IsRetryable(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;
}
