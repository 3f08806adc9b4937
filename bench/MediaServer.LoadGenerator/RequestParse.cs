namespace MediaServer.LoadGenerator;

/// <summary>What reading a request from the bytes received so far came to.</summary>
internal enum RequestParse
{
    Incomplete,
    Complete,
    Bad,
}
