namespace Wavelet.Ddl;

/// <summary>
/// The passwords of a project's CDC sources, by source name, resolved from their Secrets for one sync. Never printed:
/// <see cref="ToString"/> names the sources only.
/// </summary>
public sealed class SourceCredentials
{
    /// <summary>No passwords: a sync that must create a source fails with <see cref="DdlFailureReason.SourcePasswordMissing"/>.</summary>
    public static readonly SourceCredentials None = new(new Dictionary<string, string>(), redacted: false);

    /// <summary>For plans that are shown, never run: every password reads as a placeholder.</summary>
    public static readonly SourceCredentials Redacted = new(new Dictionary<string, string>(), redacted: true);

    private readonly IReadOnlyDictionary<string, string> _passwords;
    private readonly bool _redacted;

    public SourceCredentials(IReadOnlyDictionary<string, string> passwords)
        : this(passwords, redacted: false)
    {
    }

    private SourceCredentials(IReadOnlyDictionary<string, string> passwords, bool redacted)
    {
        ArgumentNullException.ThrowIfNull(passwords);
        _passwords = passwords;
        _redacted = redacted;
    }

    /// <summary>The text written where a password would be in shown statements.</summary>
    public const string Mask = "******";

    public string? PasswordOf(string source) =>
        _redacted ? Mask : _passwords.TryGetValue(source, out var password) ? password : null;

    public override string ToString() => $"SourceCredentials({string.Join(", ", _passwords.Keys)})";
}
