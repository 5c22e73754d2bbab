using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wavelet.Operator.Kubernetes;
using Wavelet.Testing.Kubernetes;
using Ks = Wavelet.Operator.Kubernetes;

namespace Wavelet.Operator.Tests.Kubernetes;

public sealed class TlsTests : IAsyncLifetime, IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private X509Certificate2 _ca = null!;
    private X509Certificate2 _serverCertificate = null!;
    private FakeKubernetesApiServer _server = null!;

    public async Task InitializeAsync()
    {
        var caRequest = new CertificateRequest("CN=test-cluster-ca", _caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("api.internal"); // deliberately not 127.0.0.1: only tls-server-name makes the name match
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = serverRequest.Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        _serverCertificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
        _server = await FakeKubernetesApiServer.StartAsync(_serverCertificate);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _ca.Dispose();
        _serverCertificate.Dispose();
        _caKey.Dispose();
    }

    [Fact]
    public async Task The_configured_CA_and_tls_server_name_verify_the_server()
    {
        using var client = Client(new() { SslCaCerts = [_ca], TlsServerName = "api.internal" });
        Assert.Null(await client.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps).GetAsync("default", "x"));
        Assert.StartsWith("https://", _server.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_mismatch_is_refused_even_with_the_right_CA()
    {
        using var client = Client(new() { SslCaCerts = [_ca] });
        await Assert.ThrowsAsync<HttpRequestException>(() => client.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps).GetAsync("default", "x"));
    }

    [Fact]
    public async Task An_unknown_CA_is_refused_and_insecure_skip_tls_verify_accepts_it()
    {
        var (otherCa, _) = TestCertificates.Create("other-ca", isCa: true);
        var other = new X509Certificate2Collection();
        other.ImportFromPem(otherCa);
        using var wrongCa = Client(new() { SslCaCerts = other, TlsServerName = "api.internal" });
        await Assert.ThrowsAsync<HttpRequestException>(() => wrongCa.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps).GetAsync("default", "x"));

        using var insecure = Client(new() { SkipTlsVerify = true });
        Assert.Null(await insecure.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps).GetAsync("default", "x"));
    }

    [Fact]
    public async Task A_kubeconfig_client_certificate_is_presented()
    {
        var (certificate, key) = TestCertificates.Create("system:node:wavelet");
        using var client = Client(new() { SslCaCerts = [_ca], TlsServerName = "api.internal", ClientCertificate = X509Certificate2.CreateFromPem(certificate, key) });
        await client.Resource<V1ConfigMap>(ResourceTypes.ConfigMaps).GetAsync("default", "x");
        Assert.Equal("CN=system:node:wavelet", Assert.Single(_server.Requests.All).ClientCertificateSubject);
    }

    private Ks.Kubernetes Client(KubernetesClientConfiguration config)
    {
        config.Host = _server.Url;
        return new Ks.Kubernetes(config);
    }
}
