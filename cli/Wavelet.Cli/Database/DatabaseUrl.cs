namespace Wavelet.Cli.Database;

/// <summary>A postgres:// URL and where it came from (shown to the user, never with its password).</summary>
public sealed record DatabaseUrl(string Url, string Source)
{
    public const string Variable = DataPlaneEnvironment.DatabaseUrl;

    /// <summary>--database-url, else $WAVELET_DATABASE_URL, else the project's connection Secret when the file holds it; null when none.</summary>
    public static DatabaseUrl? Resolve(string? option, CliContext context, ProjectFile? file)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.IsNullOrWhiteSpace(option))
        {
            return new DatabaseUrl(option, "--database-url");
        }

        if (context.Environment(Variable) is { Length: > 0 } fromEnvironment)
        {
            return new DatabaseUrl(fromEnvironment, "$" + Variable);
        }

        var selector = file?.Project.Spec.Risingwave.ConnectionSecretRef;
        return file?.SecretValue(selector) is { Length: > 0 } fromSecret
            ? new DatabaseUrl(fromSecret, $"Secret {selector!.Name} key {selector.Key} in {Path.GetFileName(file.Path)}")
            : null;
    }

    public string ConnectionString
    {
        get
        {
            try
            {
                return PostgresUrl.ToConnectionString(Url);
            }
            catch (FormatException e)
            {
                throw new CliException($"database URL from {Source}: {e.Message}", e, ExitCodes.Usage);
            }
        }
    }

    /// <summary>The URL with any password replaced by ***.</summary>
    public string Masked => Mask(Url);

    public static string Mask(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            var user = uri.UserInfo.Split(':', 2)[0];
            return url.Replace(uri.UserInfo + "@", user + ":***@", StringComparison.Ordinal);
        }

        return url;
    }

    public override string ToString() => $"{Masked} (from {Source})";
}
