using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wavelet.Api.Meta;

namespace Wavelet.Operator.Kubernetes;

/// <summary>
/// The HTTP side of the client: TLS and credentials from the configuration, Status parsing, bounded Retry-After retries
/// for 429/5xx, and one credential refresh on 401. Resource access goes through <see cref="Resource{T}"/>.
/// </summary>
public sealed class Kubernetes : IKubernetes, IDisposable
{
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly Uri _baseUri;

    public Kubernetes(KubernetesClientConfiguration config, ILogger<Kubernetes>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!Uri.TryCreate(config.Host, UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new KubeConfigException($"The API server address '{config.Host}' is not an http(s) URL; fix the cluster's server in the kubeconfig.");
        }

        Configuration = config;
        Time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _baseUri = baseUri;
        _http = new HttpClient(CreateHandler(config), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public KubernetesClientConfiguration Configuration { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger => _logger;

    public ResourceClient<T> Resource<T>(ResourceType type)
        where T : class, IKubernetesObject<V1ObjectMeta> => new(this, type);

    public void Dispose() => _http.Dispose();

    /// <summary>Sends a request and reads the whole answer within <see cref="KubernetesClientConfiguration.RequestTimeout"/>.</summary>
    internal async Task<ApiResponse> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Configuration.RequestTimeout);
        try
        {
            using var response = await SendWithRetriesAsync(method, pathAndQuery, content, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return new ApiResponse(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesException(HttpStatusCode.GatewayTimeout, new V1Status
            {
                Status = "Failure",
                Reason = StatusReasons.Timeout,
                Code = 504,
                Message = $"no answer from {_baseUri.Host} within {Configuration.RequestTimeout.TotalSeconds:0} s",
            }, method.Method, pathAndQuery);
        }
    }

    /// <summary>Sends a request whose body is streamed (watch); a non-success answer is thrown as <see cref="KubernetesException"/>.</summary>
    internal async Task<HttpResponseMessage> SendStreamingAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var response = await SendWithRetriesAsync(HttpMethod.Get, pathAndQuery, null, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw StatusParser.ToException(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, "GET", pathAndQuery);
        }
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(HttpMethod method, string pathAndQuery, HttpContent? content, CancellationToken cancellationToken)
    {
        var bodyBytes = content is null ? null : await content.ReadAsByteArrayAsync(cancellationToken);
        var contentType = content?.Headers.ContentType;
        var refreshed = false;
        var refreshNow = false;
        for (var attempt = 0; ; attempt++)
        {
            // Concatenate rather than resolve: a server URL may carry a path prefix (e.g. https://proxy/k8s/clusters/c-1).
            using var request = new HttpRequestMessage(method, new Uri(_baseUri.AbsoluteUri.TrimEnd('/') + pathAndQuery));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (bodyBytes is not null)
            {
                request.Content = new ByteArrayContent(bodyBytes);
                request.Content.Headers.ContentType = contentType;
            }

            await AuthenticateAsync(request, refreshNow, cancellationToken);
            refreshNow = false;
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

            if (response.StatusCode == HttpStatusCode.Unauthorized && !refreshed && Configuration.TokenProvider is not null)
            {
                _logger.LogInformation("{Method} {Path}: 401 Unauthorized; refreshing credentials once", method, pathAndQuery);
                response.Dispose();
                refreshed = true;
                refreshNow = true;
                continue;
            }

            if (IsRetryable(response) && attempt < Configuration.MaxRetries && RetryAfter(response) is { } delay)
            {
                var wait = delay > Configuration.MaxRetryAfter ? Configuration.MaxRetryAfter : delay;
                _logger.LogInformation("{Method} {Path}: {Status}; retrying after {Delay} (attempt {Attempt})", method, pathAndQuery, (int)response.StatusCode, wait, attempt + 1);
                response.Dispose();
                await Task.Delay(wait, Time, cancellationToken);
                continue;
            }

            return response;
        }
    }

    private async Task AuthenticateAsync(HttpRequestMessage request, bool forceRefresh, CancellationToken cancellationToken)
    {
        var token = Configuration.TokenProvider is { } provider
            ? await provider.GetTokenAsync(forceRefresh, cancellationToken)
            : Configuration.AccessToken;
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (!string.IsNullOrEmpty(Configuration.Username))
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Configuration.Username}:{Configuration.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        if (!string.IsNullOrEmpty(Configuration.Impersonate))
        {
            request.Headers.Add("Impersonate-User", Configuration.Impersonate);
            foreach (var group in Configuration.ImpersonateGroups ?? [])
            {
                request.Headers.Add("Impersonate-Group", group);
            }
        }
    }

    private static bool IsRetryable(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static SocketsHttpHandler CreateHandler(KubernetesClientConfiguration config)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.GZip,
            UseProxy = config.Proxy is not null,
            Proxy = config.Proxy is null ? null : new WebProxy(config.Proxy),
        };
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            TargetHost = config.TlsServerName,
            ClientCertificates = config.ClientCertificate is null ? null : new X509CertificateCollection { config.ClientCertificate },
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ValidateServer(config, certificate, errors),
        };
        return handler;
    }

    private static bool ValidateServer(KubernetesClientConfiguration config, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (config.SkipTlsVerify)
        {
            return true;
        }

        if (certificate is null)
        {
            return false;
        }

        using var serverCertificate = new X509Certificate2(certificate);

        // tls-server-name: verify the certificate against that name instead of the host in the URL.
        if (!string.IsNullOrEmpty(config.TlsServerName))
        {
            if (!serverCertificate.MatchesHostname(config.TlsServerName))
            {
                return false;
            }

            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // An untrusted chain is acceptable only if it ends at the configured CA; a name mismatch never is.
        if (config.SslCaCerts is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(config.SslCaCerts);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(serverCertificate);
    }
}

/// <summary>A fully read answer.</summary>
internal sealed record ApiResponse(HttpStatusCode StatusCode, string Body, string? MediaType)
{
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;
}
