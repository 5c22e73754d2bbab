namespace Wavelet.Cli;

/// <summary>The exit codes of every wavelet command (docs/cli.md lists them).</summary>
public static class ExitCodes
{
    /// <summary>Done: in sync, applied, generated, or `wavelet dev` stopped by Ctrl-C / SIGTERM.</summary>
    public const int Ok = 0;

    /// <summary>Failed: invalid project file, database unreachable, a statement refused, a data plane not ready.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or environment: unknown option, busy port, no PostgreSQL binaries for the local engine.</summary>
    public const int Usage = 2;

    /// <summary>Some changes are blocked because they would lose data (spec.ddl.allowDestructiveChanges is off).</summary>
    public const int Blocked = 3;

    /// <summary>`wavelet plan`: changes are pending (`wavelet push` would apply them).</summary>
    public const int ChangesPending = 4;
}
