using System.Text;
using Wavelet.Api.DataPlane;
using Wavelet.DataPlane.Config;

namespace Wavelet.DataPlane.Webhooks;

/// <summary>Reads each webhook's HMAC key from the environment variable its config names (never the JWT key).</summary>
public static class WebhookSecrets
{
    /// <summary>The key, or null with <paramref name="error"/> saying which variable is missing and how to provide it.</summary>
    public static byte[]? TryResolve(QueryConfig query, Func<string, string?> environment, out string error)
    {
        var variable = query.Webhook?.SecretEnv;
        if (string.IsNullOrEmpty(variable))
        {
            error = $"query '{query.Name}' has a webhook without webhook.secretEnv: webhooks are always signed, name the environment variable holding the key";
            return null;
        }

        if (environment(variable) is not { Length: > 0 } secret)
        {
            error = $"environment variable {variable} (webhook.secretEnv of query '{query.Name}') is not set; it must hold the webhook's HMAC signing key " +
                "(the operator sets it from spec.queries[].webhook.secretRef)";
            return null;
        }

        error = "";
        return Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>At startup a webhook without its key is a config error: the process does not start half-configured.</summary>
    public static void RequireAll(DataPlaneConfig config, Func<string, string?> environment)
    {
        foreach (var query in config.Queries.Where(q => q.Webhook is not null))
        {
            if (TryResolve(query, environment, out var error) is null)
            {
                throw new InvalidConfigException(error);
            }
        }
    }
}
