namespace Wavelet.Api.Validation;

public static partial class WaveletProjectValidator
{
    public static readonly IReadOnlyList<string> ServiceTypes = ["ClusterIP", "NodePort", "LoadBalancer"];
    public static readonly IReadOnlyList<string> TolerationOperators = ["Exists", "Equal"];
    public static readonly IReadOnlyList<string> TolerationEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    /// <summary>A PodDisruptionBudget bound: a count or a percentage.</summary>
    public const string IntOrPercentPattern = "^(0|[1-9][0-9]*)%?$";

    /// <summary>A Kubernetes resource quantity such as 500m, 1, 1.5, 256Mi or 2G.</summary>
    public const string QuantityPattern = "^[0-9]+(\\.[0-9]+)?([eE][0-9]+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$";

    private static void ValidateAuth(AuthSpec? auth, ProblemList problems)
    {
        if (auth is null)
        {
            return;
        }

        problems.OneOf("spec.auth.writes", auth.Writes, WriteAccess.All, "write access");
        var jwt = auth.Jwt;
        if (jwt is null)
        {
            return;
        }

        if (jwt.SecretRef is null && string.IsNullOrEmpty(jwt.JwksUrl))
        {
            problems.Add("spec.auth.jwt", "has neither secretRef nor jwksUrl", "set secretRef (an HS256 key in a Secret) or jwksUrl (an https JWKS document), or remove spec.auth.jwt");
        }

        problems.Range("spec.auth.jwt.clockSkewSeconds", jwt.ClockSkewSeconds, 0, WaveletLimits.MaxClockSkewSeconds);
        problems.OneOf("spec.auth.jwt.arrayClaims", jwt.ArrayClaims, ArrayClaimModes.All, "array claim mode");
        if (jwt.SecretRef is not null)
        {
            ValidateSecretRef("spec.auth.jwt.secretRef", jwt.SecretRef, "the HS256 signing key", problems);
        }

        if (!string.IsNullOrEmpty(jwt.JwksUrl))
        {
            ValidateJwksUrl(jwt.JwksUrl, problems);
        }
    }

    private static void ValidateJwksUrl(string url, ProblemList problems)
    {
        const string path = "spec.auth.jwt.jwksUrl";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || url.Length > WaveletLimits.MaxUrlLength)
        {
            problems.Add(path, $"\"{url}\" is not a valid URL", "use an absolute https URL such as https://issuer.example.com/.well-known/jwks.json");
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            problems.Add(path, $"\"{url}\" uses http, so the signing keys could be tampered with in transit", "use https (plain http is allowed only for localhost)");
        }
        else
        {
            RefuseMetadataHost(path, url, uri, problems);
        }
    }

    /// <summary>
    /// The cheap part of the SSRF rule at admission: a literal link-local address (where cloud metadata services answer)
    /// or a metadata host name. Names that resolve there are refused by the data plane when it connects.
    /// </summary>
    private static void RefuseMetadataHost(string path, string url, Uri uri, ProblemList problems)
    {
        var host = uri.Host.Trim('[', ']');
        var linkLocal = System.Net.IPAddress.TryParse(host, out var address)
            && ((address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address) is var ip
                && (ip.IsIPv6LinkLocal || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && ip.GetAddressBytes() is [169, 254, ..])));
        if (linkLocal || host.Equals("metadata.google.internal", StringComparison.OrdinalIgnoreCase) || host.Equals("metadata", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(path, $"\"{url}\" points at a link-local or cloud metadata address, which the data plane never calls", "use the address of a service you run");
        }
    }

    private static void ValidateWebhook(string path, WebhookSpec webhook, ProblemList problems)
    {
        if (string.IsNullOrEmpty(webhook.Url))
        {
            problems.Add(path + ".url", "is required", "set the http(s) URL that receives the query's changes");
        }
        else if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || webhook.Url.Length > WaveletLimits.MaxUrlLength)
        {
            problems.Add(path + ".url", $"\"{webhook.Url}\" is not an http(s) URL", "use an absolute URL starting with https:// or http://");
        }
        else
        {
            RefuseMetadataHost(path + ".url", webhook.Url, uri, problems);
        }

        ValidateSecretRef(path + ".secretRef", webhook.SecretRef, "the webhook's HMAC signing key", problems);
    }

    private static void ValidateDataPlane(DataPlaneSpec? dataPlane, ProblemList problems)
    {
        if (dataPlane is null)
        {
            return;
        }

        problems.Range("spec.dataPlane.replicas", dataPlane.Replicas, 0, WaveletLimits.MaxReplicas);
        if (dataPlane.Image is { } image && (image.Length == 0 || image.Any(char.IsWhiteSpace)))
        {
            problems.Add("spec.dataPlane.image", $"\"{image}\" is not a valid image reference", "use a reference such as ghcr.io/example/wavelet-dataplane:1.0, or remove the field");
        }

        for (var i = 0; i < (dataPlane.ImagePullSecrets?.Count ?? 0); i++)
        {
            var secret = dataPlane.ImagePullSecrets![i];
            if (secret.Length is 0 or > WaveletLimits.MaxResourceNameLength || !ResourceNameRegex().IsMatch(secret))
            {
                problems.Add($"spec.dataPlane.imagePullSecrets[{i}]", $"\"{secret}\" is not a valid Secret name", "use the name of a Secret in the project's namespace: lowercase letters, digits, '-' and '.'");
            }
        }

        ValidateResources(dataPlane.Resources, problems);
        if (dataPlane.Limits is { } limits)
        {
            problems.Range("spec.dataPlane.limits.maxConnectionsPerAddress", limits.MaxConnectionsPerAddress, 0, WaveletLimits.MaxConnectionCap);
            problems.Range("spec.dataPlane.limits.maxConnectionsPerToken", limits.MaxConnectionsPerToken, 0, WaveletLimits.MaxConnectionCap);
            problems.Range("spec.dataPlane.limits.writesPerSecond", limits.WritesPerSecond, 0, WaveletLimits.MaxWriteRate);
            problems.Range("spec.dataPlane.limits.writeBurst", limits.WriteBurst, 1, WaveletLimits.MaxWriteRate);
        }

        for (var i = 0; i < (dataPlane.Tolerations?.Count ?? 0); i++)
        {
            var toleration = dataPlane.Tolerations![i];
            problems.OneOf($"spec.dataPlane.tolerations[{i}].operator", toleration.Operator, TolerationOperators, "toleration operator");
            problems.OneOf($"spec.dataPlane.tolerations[{i}].effect", toleration.Effect, TolerationEffects, "toleration effect");
        }

        if (dataPlane.Service is { } service)
        {
            problems.OneOf("spec.dataPlane.service.type", service.Type, ServiceTypes, "service type");
            problems.Range("spec.dataPlane.service.port", service.Port, 1, 65535);
        }

        if (dataPlane.PodDisruptionBudget is { } pdb)
        {
            ValidateIntOrPercent("spec.dataPlane.podDisruptionBudget.minAvailable", pdb.MinAvailable, problems);
            ValidateIntOrPercent("spec.dataPlane.podDisruptionBudget.maxUnavailable", pdb.MaxUnavailable, problems);
            if (pdb.MinAvailable is not null && pdb.MaxUnavailable is not null)
            {
                problems.Add("spec.dataPlane.podDisruptionBudget", "sets both minAvailable and maxUnavailable", "set only one of them");
            }
        }

        if (dataPlane.Autoscaling is { } autoscaling)
        {
            problems.Range("spec.dataPlane.autoscaling.maxReplicas", autoscaling.MaxReplicas, 1, WaveletLimits.MaxReplicas);
            problems.Range("spec.dataPlane.autoscaling.minReplicas", autoscaling.MinReplicas, 1, WaveletLimits.MaxReplicas);
            problems.Range("spec.dataPlane.autoscaling.targetCPUUtilization", autoscaling.TargetCPUUtilization, 1, 100);
            if (autoscaling.MinReplicas > autoscaling.MaxReplicas)
            {
                problems.Add("spec.dataPlane.autoscaling.minReplicas", $"{autoscaling.MinReplicas} is greater than maxReplicas {autoscaling.MaxReplicas}", "make minReplicas at most maxReplicas");
            }
        }
    }

    private static void ValidateResources(ResourceRequirements? resources, ProblemList problems)
    {
        void Check(string path, Dictionary<string, string>? quantities)
        {
            foreach (var (name, quantity) in quantities ?? [])
            {
                if (!QuantityRegex().IsMatch(quantity))
                {
                    problems.Add($"{path}.{name}", $"\"{quantity}\" is not a valid quantity", "use a number with an optional suffix, e.g. 500m, 2, 256Mi or 1Gi");
                }
            }
        }

        Check("spec.dataPlane.resources.requests", resources?.Requests);
        Check("spec.dataPlane.resources.limits", resources?.Limits);
    }

    private static void ValidateIntOrPercent(string path, string? value, ProblemList problems)
    {
        if (value is not null && !IntOrPercentRegex().IsMatch(value))
        {
            problems.Add(path, $"\"{value}\" is neither a count nor a percentage", "use a whole number such as 1 or a percentage such as 50%");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceNameRegex();

    [GeneratedRegex(QuantityPattern, RegexOptions.CultureInvariant)]
    private static partial Regex QuantityRegex();

    [GeneratedRegex(IntOrPercentPattern, RegexOptions.CultureInvariant)]
    private static partial Regex IntOrPercentRegex();
}
