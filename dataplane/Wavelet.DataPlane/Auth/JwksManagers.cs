using System.Collections.Concurrent;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Wavelet.DataPlane.Egress;

namespace Wavelet.DataPlane.Auth;

/// <summary>
/// One IdentityModel <see cref="ConfigurationManager{T}"/> per JWKS URL, kept across config reloads so a reload that
/// keeps the URL keeps its keys. Keys are fetched on first use and cached; a token naming an unknown key id makes the
/// JwtBearer handler request a refresh, which the manager grants at most once per <see cref="RefreshInterval"/> (so a
/// flood of forged kids cannot turn into a flood of fetches). Fetches go through the egress guard, follow no redirect
/// and read at most <see cref="EgressOptions.MaxJwksBytes"/>.
/// </summary>
public sealed class JwksManagers : IDisposable
{
    private readonly HttpClient _http;
    private readonly JwksRetriever _retriever;
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _managers = new(StringComparer.Ordinal);

    public JwksManagers(EgressOptions egress, ILogger<JwksManagers> logger)
    {
        ArgumentNullException.ThrowIfNull(egress);
        _http = new HttpClient(EgressGuard.CreateHandler(egress))
        {
            Timeout = TimeSpan.FromSeconds(10),
            // HttpClient buffers the body and fails past this size, whether or not the server sent Content-Length.
            MaxResponseContentBufferSize = (int)Math.Min(egress.MaxJwksBytes, int.MaxValue),
        };
        _retriever = new JwksRetriever(logger);
    }

    /// <summary>The least time between two fetches asked for by unknown key ids (or a failed first fetch).</summary>
    public static TimeSpan RefreshInterval { get; } = TimeSpan.FromSeconds(30);

    public ConfigurationManager<OpenIdConnectConfiguration> For(string url) => _managers.GetOrAdd(url, address =>
        new ConfigurationManager<OpenIdConnectConfiguration>(address, _retriever, new HttpDocumentRetriever(_http) { RequireHttps = false })
        {
            RefreshInterval = RefreshInterval,
            // A key removed from the set stops verifying at the next fetch, as before; no fallback to older key sets.
            UseLastKnownGoodConfiguration = false,
        });

    public void Dispose() => _http.Dispose();
}
