namespace Wavelet.DataPlane.Auth;

public sealed record AuthResult(Caller? Caller, string? Error)
{
    public static AuthResult Ok(Caller caller) => new(caller, null);

    public static AuthResult Fail(string error) => new(null, error);
}
