using System.Net;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Wavelet.DataPlane.Auth;

/// <summary>
/// Reads a bare JWKS document (not an OpenID discovery document) into the configuration type JwtBearer consumes: its
/// signing keys. A failure is logged with its cause and rethrown for the manager to handle.
/// </summary>
public sealed class JwksRetriever(ILogger logger) : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        try
        {
            var keys = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel));
            var configuration = new OpenIdConnectConfiguration { JsonWebKeySet = keys };
            foreach (var key in keys.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }

            return configuration;
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            AuthLog.JwksFetchFailed(logger, address, Describe(e));
            throw;
        }
    }

    /// <summary>IdentityModel hides the URL and body in its own messages; the status or the transport's reason is what helps.</summary>
    private static string Describe(Exception e) => e.Data[HttpDocumentRetriever.StatusCode] is HttpStatusCode status
        ? $"answered {(int)status} (redirects are not followed)"
        : e.InnerException?.Message ?? e.Message;
}
