using System.Globalization;

namespace MediaServer.LoadGenerator;

/// <summary>
/// The first transport of a SETUP's Transport header (RFC 2326 12.39) a pulled camera serves:
/// unicast RTP/AVP over interleaved TCP (channels as asked, 0-1 when not), or over UDP to the
/// client's <c>client_port</c> pair. Multicast, recording and UDP without client ports are passed over.
/// </summary>
internal readonly record struct CameraTransportChoice(bool Interleaved, byte Channel, int ClientRtpPort, int ClientRtcpPort)
{
    public static CameraTransportChoice? Choose(string header)
    {
        foreach (string spec in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = spec.Split(';', StringSplitOptions.TrimEntries);
            string profile = parts[0].ToUpperInvariant();
            bool tcp = profile == "RTP/AVP/TCP";
            if (!tcp && profile is not ("RTP/AVP" or "RTP/AVP/UDP"))
            {
                continue;
            }

            bool usable = true;
            (int First, int Second)? interleaved = null, clientPorts = null;
            foreach (string parameter in parts.Skip(1))
            {
                string[] pair = parameter.Split('=', 2);
                string name = pair[0].ToLowerInvariant();
                string value = pair.Length > 1 ? pair[1] : string.Empty;
                switch (name)
                {
                    case "multicast":
                        usable = false;
                        break;
                    case "mode":
                        usable &= value.Trim('"').Equals("play", StringComparison.OrdinalIgnoreCase);
                        break;
                    case "interleaved":
                        interleaved = Range(value, 255);
                        usable &= interleaved is not null;
                        break;
                    case "client_port":
                        clientPorts = Range(value, 65535);
                        usable &= clientPorts is { First: > 0, Second: > 0 };
                        break;
                }
            }

            if (!usable)
            {
                continue;
            }

            if (tcp)
            {
                return new CameraTransportChoice(true, (byte)(interleaved?.First ?? 0), 0, 0);
            }

            if (clientPorts is { } ports)
            {
                return new CameraTransportChoice(false, 0, ports.First, ports.Second);
            }
        }

        return null;
    }

    /// <summary><c>a-b</c>, or <c>a</c> alone meaning a and a+1, each at most <paramref name="max"/>.</summary>
    private static (int First, int Second)? Range(string value, int max)
    {
        string[] bounds = value.Split('-', 2);
        if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first) || first >= max)
        {
            return null;
        }

        int second = first + 1;
        if (bounds.Length > 1 && (!int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out second) || second > max))
        {
            return null;
        }

        return (first, second);
    }
}
