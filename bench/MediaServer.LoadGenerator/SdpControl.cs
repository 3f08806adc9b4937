namespace MediaServer.LoadGenerator;

/// <summary>The first media section's a=control of a DESCRIBE answer.</summary>
internal static class SdpControl
{
    /// <summary>The SETUP URL of the first media section under <paramref name="pathUrl"/>.</summary>
    public static string SetupUrl(string pathUrl, string sdp)
    {
        string control = FirstMedia(sdp);
        return control.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) ? control : pathUrl + "/" + control;
    }

    public static string FirstMedia(string sdp)
    {
        int media = sdp.IndexOf("m=", StringComparison.Ordinal);
        int control = media < 0 ? -1 : sdp.IndexOf("a=control:", media, StringComparison.Ordinal);
        if (control < 0)
        {
            throw new InvalidOperationException("The DESCRIBE answer has no media control attribute.");
        }

        int start = control + "a=control:".Length;
        int end = sdp.IndexOf('\r', start);
        return sdp[start..(end < 0 ? sdp.Length : end)].Trim();
    }
}
