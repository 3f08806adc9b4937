using System.Numerics;
using System.Security.Cryptography;

namespace MediaServer.WebRtc.Srtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): the keystream block j is
/// AES(IV + j), XORed onto the data. One ECB transform is created per key and reused, with
/// preallocated counter and keystream buffers, so encrypting a packet allocates nothing.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    private const int ChunkBlocks = 128;

    private readonly Aes _aes;
    private readonly ICryptoTransform _encryptor;
    private readonly byte[] _counters = new byte[ChunkBlocks * 16];
    private readonly byte[] _keystream = new byte[ChunkBlocks * 16];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _encryptor = _aes.CreateEncryptor();
    }

    /// <summary>XORs the keystream starting at <paramref name="iv"/> (16 bytes, low 16 bits zero) onto <paramref name="data"/>.</summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        int block = 0;
        while (!data.IsEmpty)
        {
            int blocks = Math.Min(ChunkBlocks, (data.Length + 15) / 16);
            for (int i = 0; i < blocks; i++, block++)
            {
                Span<byte> counter = _counters.AsSpan(i * 16, 16);
                iv.CopyTo(counter);
                // The IV's low 16 bits are zero, so the block number fits there (2^16 blocks = 1 MiB).
                counter[14] = (byte)(block >> 8);
                counter[15] = (byte)block;
            }

            _encryptor.TransformBlock(_counters, 0, blocks * 16, _keystream, 0);
            int bytes = Math.Min(data.Length, blocks * 16);
            Xor(data[..bytes], _keystream);

            data = data[bytes..];
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        int i = 0;
        for (; i + Vector<byte>.Count <= data.Length; i += Vector<byte>.Count)
        {
            (new Vector<byte>(data[i..]) ^ new Vector<byte>(keystream[i..])).CopyTo(data[i..]);
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }

    public void Dispose()
    {
        _encryptor.Dispose();
        _aes.Dispose();
    }
}
