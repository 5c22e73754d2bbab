using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Wavelet.DataPlane.Tests;

/// <summary>A real HTTP endpoint on a loopback port that records webhook POSTs and answers as a test scripts it.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(HttpStatusCode Status, TimeSpan? RetryAfter)> _scripted = new();
    private int _arrivals;
    private volatile TaskCompletionSource _gate = Open();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Every request as received, in arrival order, with the status it was answered with.</summary>
    public ConcurrentQueue<ReceivedWebhook> Requests { get; } = new();

    /// <summary>Requests answered 2xx, in order.</summary>
    public IReadOnlyList<ReceivedWebhook> Delivered => Requests.Where(r => (int)r.Status is >= 200 and < 300).ToList();

    /// <summary>Requests that arrived, including those the sender gave up waiting for.</summary>
    public int Arrivals => _arrivals;

    /// <summary>Requests that arrived and are waiting on <see cref="Block"/>.</summary>
    public int Waiting => _waiting;

    public Uri Url { get; private set; } = null!;

    private int _waiting;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    /// <summary>The next requests are answered with these statuses, in order; after them, 200.</summary>
    public void Answer(params HttpStatusCode[] statuses)
    {
        foreach (var status in statuses)
        {
            _scripted.Enqueue((status, null));
        }
    }

    /// <summary>The next request is answered with <paramref name="status"/> and a Retry-After header.</summary>
    public void Answer(HttpStatusCode status, TimeSpan retryAfter) => _scripted.Enqueue((status, retryAfter));

    /// <summary>Requests wait (unanswered) until <see cref="Release"/>.</summary>
    public void Block() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        Interlocked.Increment(ref _arrivals);
        Interlocked.Increment(ref _waiting);
        try
        {
            await _gate.Task.WaitAsync(context.RequestAborted);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        var (status, retryAfter) = _scripted.TryDequeue(out var scripted) ? scripted : (HttpStatusCode.OK, null);
        var target = context.Request.Path + context.Request.QueryString;
        Requests.Enqueue(new ReceivedWebhook(body.ToArray(), context.Request.Headers["X-Wavelet-Signature"].ToString(), context.Request.Headers["X-Wavelet-Timestamp"].ToString(), context.Request.ContentType, status, target));
        context.Response.StatusCode = (int)status;
        if (retryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = ((int)delay.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}

internal sealed record ReceivedWebhook(byte[] Body, string Signature, string Timestamp, string? ContentType, HttpStatusCode Status, string Target);
