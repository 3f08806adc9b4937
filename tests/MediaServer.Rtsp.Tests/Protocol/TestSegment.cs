using System.Buffers;

namespace MediaServer.Rtsp.Tests.Protocol;

/// <summary>A linked segment for building multi-segment sequences like those a Pipe hands out.</summary>
internal sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    public TestSegment(ReadOnlyMemory<byte> memory) => Memory = memory;

    public TestSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new TestSegment(memory) { RunningIndex = RunningIndex + Memory.Length };
        Next = next;
        return next;
    }
}
