namespace Wavelet.Operator.Kubernetes;

/// <summary>Supplies the bearer token for each request; <paramref name="forceRefresh"/> is true after a 401.</summary>
public interface ITokenProvider
{
    ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}
