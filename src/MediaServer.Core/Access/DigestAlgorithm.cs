namespace MediaServer.Core.Access;

/// <summary>The hash of an HTTP Digest exchange (RFC 7616 §3.2); the <c>-sess</c> variants use the same hash.</summary>
public enum DigestAlgorithm
{
    Md5,
    Sha256,
}
