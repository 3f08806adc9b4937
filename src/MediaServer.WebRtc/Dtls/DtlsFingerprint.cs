using System.Security.Cryptography;

namespace MediaServer.WebRtc.Dtls;

/// <summary>
/// A certificate fingerprint as carried by SDP's <c>a=fingerprint</c> attribute (RFC 8122 §5):
/// a hash function name and the hash of the certificate's DER encoding.
/// </summary>
public sealed class DtlsFingerprint
{
    private readonly byte[] _hash;

    private DtlsFingerprint(string algorithm, byte[] hash)
    {
        Algorithm = algorithm;
        _hash = hash;
    }

    /// <summary>The RFC 8122 hash function name, lower case ("sha-256").</summary>
    public string Algorithm { get; }

    /// <summary>The hash bytes.</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    /// <summary>The SHA-256 fingerprint of a DER-encoded certificate, the form browsers use.</summary>
    public static DtlsFingerprint Compute(ReadOnlySpan<byte> certificateDer) =>
        new("sha-256", SHA256.HashData(certificateDer));

    /// <summary>
    /// Parses the value of an <c>a=fingerprint</c> attribute (what follows the colon), e.g.
    /// <c>sha-256 AB:CD:...</c>. Hash names and hex digits are case-insensitive (RFC 8122 §5).
    /// Never throws: the text comes from a remote peer's offer.
    /// </summary>
    public static DtlsFingerprintError TryParse(ReadOnlySpan<char> text, out DtlsFingerprint? fingerprint)
    {
        fingerprint = null;
        text = text.Trim();
        if (text.IsEmpty)
        {
            return DtlsFingerprintError.Empty;
        }

        int space = text.IndexOfAny(' ', '\t');
        if (space < 0)
        {
            return DtlsFingerprintError.MissingValue;
        }

        string? algorithm = CanonicalAlgorithm(text[..space]);
        if (algorithm is null)
        {
            return DtlsFingerprintError.UnsupportedAlgorithm;
        }

        ReadOnlySpan<char> hex = text[(space + 1)..].TrimStart();
        int hashLength = HashLength(algorithm);

        // Each byte is two digits, and every byte but the last is followed by a colon.
        if (hex.Length != (hashLength * 3) - 1)
        {
            return hex.IsEmpty ? DtlsFingerprintError.MissingValue : DtlsFingerprintError.WrongLength;
        }

        var hash = new byte[hashLength];
        for (int i = 0; i < hashLength; i++)
        {
            int at = i * 3;
            int high = HexValue(hex[at]);
            int low = HexValue(hex[at + 1]);
            if (high < 0 || low < 0 || (i + 1 < hashLength && hex[at + 2] != ':'))
            {
                return DtlsFingerprintError.InvalidHex;
            }

            hash[i] = (byte)((high << 4) | low);
        }

        fingerprint = new DtlsFingerprint(algorithm, hash);
        return DtlsFingerprintError.None;
    }

    /// <summary>Whether a DER-encoded certificate hashes, with <see cref="Algorithm"/>, to this fingerprint.</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer)
    {
        Span<byte> computed = stackalloc byte[64];
        int written = Algorithm switch
        {
            "sha-256" => SHA256.HashData(certificateDer, computed),
            "sha-384" => SHA384.HashData(certificateDer, computed),
            _ => SHA512.HashData(certificateDer, computed),
        };

        return CryptographicOperations.FixedTimeEquals(computed[..written], _hash);
    }

    /// <summary>The SDP form: hash name, a space, upper-case hex bytes separated by colons.</summary>
    public override string ToString() =>
        string.Create(Algorithm.Length + 1 + (_hash.Length * 3) - 1, this, static (chars, self) =>
        {
            self.Algorithm.AsSpan().CopyTo(chars);
            int at = self.Algorithm.Length;
            chars[at++] = ' ';
            for (int i = 0; i < self._hash.Length; i++)
            {
                if (i > 0)
                {
                    chars[at++] = ':';
                }

                chars[at++] = ToHexDigit(self._hash[i] >> 4);
                chars[at++] = ToHexDigit(self._hash[i] & 0xF);
            }
        });

    private static string? CanonicalAlgorithm(ReadOnlySpan<char> name)
    {
        // sha-1 (and md5) are refused: RFC 8122 §5 says to use the strongest function, and browsers send sha-256.
        if (name.Equals("sha-256", StringComparison.OrdinalIgnoreCase))
        {
            return "sha-256";
        }

        if (name.Equals("sha-384", StringComparison.OrdinalIgnoreCase))
        {
            return "sha-384";
        }

        if (name.Equals("sha-512", StringComparison.OrdinalIgnoreCase))
        {
            return "sha-512";
        }

        return null;
    }

    private static int HashLength(string algorithm) => algorithm switch
    {
        "sha-256" => 32,
        "sha-384" => 48,
        _ => 64,
    };

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    private static char ToHexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);
}
