namespace MediaServer.Http;

/// <summary>A request body read whole (<see cref="Body"/>), or the status and one-line reason to refuse it with.</summary>
internal readonly record struct RequestBodyRead(byte[]? Body, int Status, string Error)
{
    public bool IsComplete => Body is not null;
}
