using System.Text;

namespace MediaServer.WebRtc.Ice;

/// <summary>
/// Both sides' ICE credentials for one session (RFC 8445 §7.2.2): the browser's requests carry
/// USERNAME "serverUfrag:browserUfrag" and are signed with the server's password. Replaced as a
/// whole on an ICE restart.
/// </summary>
internal sealed class IceCredentialsPair
{
    public IceCredentialsPair(string localUfrag, string localPwd, string remoteUfrag, string remotePwd)
    {
        LocalUfrag = localUfrag;
        LocalPwd = localPwd;
        RemoteUfrag = remoteUfrag;
        RemotePwd = remotePwd;
        LocalPwdBytes = Encoding.UTF8.GetBytes(localPwd);
        ExpectedUsername = Encoding.UTF8.GetBytes(localUfrag + ":" + remoteUfrag);
    }

    public string LocalUfrag { get; }

    public string LocalPwd { get; }

    public string RemoteUfrag { get; }

    public string RemotePwd { get; }

    /// <summary>The MESSAGE-INTEGRITY key of requests from the browser (short-term credentials).</summary>
    public byte[] LocalPwdBytes { get; }

    public byte[] ExpectedUsername { get; }
}
