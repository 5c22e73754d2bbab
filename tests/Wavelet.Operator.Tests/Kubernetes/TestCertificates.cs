using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wavelet.Operator.Tests.Kubernetes;

/// <summary>Self-signed certificates made on the fly for kubeconfig and TLS tests.</summary>
internal static class TestCertificates
{
    public static (string CertificatePem, string KeyPem) Create(string subject, bool isCa = false, string? dnsName = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, true));
        if (dnsName is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dnsName);
            request.CertificateExtensions.Add(san.Build());
        }

        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
