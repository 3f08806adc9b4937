using System.Security.Cryptography.X509Certificates;

namespace MediaServer;

/// <summary>Loads the RTSPS/HTTPS certificate named in <see cref="TlsOptions"/>.</summary>
internal static class TlsCertificate
{
    public static X509Certificate2 Load(TlsOptions options)
    {
        if (options.KeyPath.Length > 0)
        {
            using X509Certificate2 pem = options.CertificatePassword.Length > 0
                ? X509Certificate2.CreateFromEncryptedPemFile(options.CertificatePath, options.CertificatePassword, options.KeyPath)
                : X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath);

            // SslStream on Linux needs the key in an exportable, persisted form: round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword);
    }
}
