namespace MediaServer.LoadGenerator;

/// <summary>
/// One camera as the run sees it: a path on the server, a frame sent each time the pacer says
/// so, and what it sent. <see cref="CameraPublisher"/> pushes to the server; a
/// <see cref="PulledCamera"/> is pulled by it.
/// </summary>
internal interface ICamera : IAsyncDisposable
{
    /// <summary>The path readers read on the server.</summary>
    string Path { get; }

    long PacketsSent { get; }

    long BytesSent { get; }

    /// <summary>Sends the next frame; called by the pacer, one caller at a time. Throws when the camera is done for.</summary>
    void SendFrame();
}
