using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MediaServer.EndToEnd.Access;

/// <summary>A self-signed certificate for 127.0.0.1 in a PKCS#12 file, as an operator would configure one.</summary>
internal sealed class TestCertificate : IDisposable
{
    public TestCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Thumbprint = certificate.Thumbprint;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mediaserver-test-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(Path, certificate.Export(X509ContentType.Pfx, Password));
    }

    public const string Password = "test-pfx";

    public string Path { get; }

    public string Thumbprint { get; }

    public string[] Arguments => [$"--Tls:CertificatePath={Path}", $"--Tls:CertificatePassword={Password}", "--Rtsp:TlsPort=0", "--Http:TlsPort=0"];

    /// <summary>An HTTP client that trusts exactly this certificate.</summary>
    public HttpClient Client(MediaServerHost host) => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == Thumbprint,
    })
    {
        BaseAddress = new Uri($"https://127.0.0.1:{host.HttpTlsPort}/"),
    };

    public void Dispose() => File.Delete(Path);
}
