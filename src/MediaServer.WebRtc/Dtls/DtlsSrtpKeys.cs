namespace MediaServer.WebRtc.Dtls;

/// <summary>
/// SRTP master keys exported from a completed DTLS handshake (RFC 5764 §4.2). This server is the
/// DTLS server, so "local" is the server_write half (protects what we send) and "remote" is the
/// client_write half (unprotects what the browser sends: RTCP receiver reports, NACK, PLI).
/// </summary>
/// <param name="ProtectionProfile">The negotiated use_srtp profile, see <see cref="SrtpProtectionProfileId"/>.</param>
/// <param name="LocalMasterKey">server_write_SRTP_master_key.</param>
/// <param name="LocalMasterSalt">server_write_SRTP_master_salt.</param>
/// <param name="RemoteMasterKey">client_write_SRTP_master_key.</param>
/// <param name="RemoteMasterSalt">client_write_SRTP_master_salt.</param>
public sealed record DtlsSrtpKeys(
    ushort ProtectionProfile,
    byte[] LocalMasterKey,
    byte[] LocalMasterSalt,
    byte[] RemoteMasterKey,
    byte[] RemoteMasterSalt)
{
    /// <summary>The exporter label of RFC 5764 §4.2.</summary>
    public const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    /// <summary>
    /// Splits exported keying material laid out as client_write_key, server_write_key,
    /// client_write_salt, server_write_salt, taking the server's side as local.
    /// </summary>
    public static DtlsSrtpKeys FromKeyingMaterial(ushort profile, ReadOnlySpan<byte> material, bool isServer)
    {
        int keyLength = SrtpProtectionProfileId.MasterKeyLength(profile);
        int saltLength = SrtpProtectionProfileId.MasterSaltLength(profile);
        if (keyLength == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP protection profile.");
        }

        if (material.Length != 2 * (keyLength + saltLength))
        {
            throw new ArgumentException("Keying material has the wrong length for the profile.", nameof(material));
        }

        byte[] clientKey = material.Slice(0, keyLength).ToArray();
        byte[] serverKey = material.Slice(keyLength, keyLength).ToArray();
        byte[] clientSalt = material.Slice(2 * keyLength, saltLength).ToArray();
        byte[] serverSalt = material.Slice((2 * keyLength) + saltLength, saltLength).ToArray();
        return isServer
            ? new DtlsSrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt)
            : new DtlsSrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt);
    }

    /// <summary>Keeps key bytes out of logs.</summary>
    public override string ToString() => $"DtlsSrtpKeys {{ ProtectionProfile = 0x{ProtectionProfile:X4} }}";
}
