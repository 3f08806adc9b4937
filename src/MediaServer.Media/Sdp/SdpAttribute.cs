namespace MediaServer.Media.Sdp;

/// <summary>An SDP attribute line (RFC 8866 §5.13); flag attributes such as <c>a=recvonly</c> have no value.</summary>
public readonly record struct SdpAttribute(string Name, string? Value)
{
    public override string ToString() => Value is null ? $"a={Name}" : $"a={Name}:{Value}";
}
